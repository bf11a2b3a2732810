// Where the flame graph's frames go: the zoomed frame across the whole width, its callers
// above it full width, what it calls in proportion; frames too narrow left out and counted.
import { describe, expect, it } from 'vitest';

import { layoutFrames } from '../../../../renderer/src/panels/profile/flame_graph_layout';
import { buildTree } from '../../../../renderer/src/panels/profile/profile_tree';
import { profileOf } from './profile_fixture';

const tree = buildTree(profileOf({ 'main>fib>fib': 2, 'main>fib': 4, 'main>print': 2, main: 2 }));

describe('the flame graph layout', () => {
  it('makes widths proportional to total count, children left to right, heaviest first', () => {
    const { boxes, rows, hidden } = layoutFrames(tree.root, 1000);
    expect(boxes.map((b) => [b.node.function, b.row, b.x, b.width])).toEqual([
      ['all', 0, 0, 1000],
      ['main', 1, 0, 1000],
      ['fib', 2, 0, 600],
      ['print', 2, 600, 200],
      ['fib', 3, 0, 200],
    ]);
    expect([rows, hidden]).toEqual([4, 0]);
  });

  it('fills the width with a zoomed frame, its callers above it', () => {
    const fib = tree.root.children[0]!.children[0]!;
    const { boxes } = layoutFrames(fib, 600);
    expect(boxes.map((b) => [b.node.function, b.row, b.x, b.width])).toEqual([
      ['all', 0, 0, 600],
      ['main', 1, 0, 600],
      ['fib', 2, 0, 600],
      ['fib', 3, 0, 200],
    ]);
  });

  it('leaves out frames narrower than a pixel, with what they call', () => {
    const { boxes, hidden } = layoutFrames(tree.root, 4);
    expect(boxes.map((b) => b.node.function)).toEqual(['all', 'main', 'fib']);
    // fib's fib and print, 0.8 px each.
    expect(hidden).toBe(2);
    // A frame left out is counted once, not with what it calls.
    const deep = layoutFrames(buildTree(profileOf({ 'main>a>b>c': 1, 'main>z': 99 })).root, 10);
    expect(deep.boxes.map((b) => b.node.function)).toEqual(['all', 'main', 'z']);
    expect(deep.hidden).toBe(1);
  });
});
