// @vitest-environment happy-dom
// The flame graph as it is used: frames a screen reader can name, nested by depth (root
// at the top, or at the bottom when switched); the search's count and share; a click zooms
// and opens the function, the breadcrumb and Reset go back; the arrow keys walk the calls.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { FlameGraph } from '../../../../renderer/src/panels/profile/FlameGraph';
import { functionColor } from '../../../../renderer/src/panels/profile/flame_colors';
import { frameDetails, frameSummary } from '../../../../renderer/src/panels/profile/frame_words';
import { buildTree, type FlameNode } from '../../../../renderer/src/panels/profile/profile_tree';
import { profileOf } from './profile_fixture';

afterEach(cleanup);

const profile = profileOf({ 'main:3>fib:13>fib:12': 2, 'main:3>fib:13': 4, 'main:3>*inl:7': 2, 'main:3': 2 });
const tree = buildTree(profile);

function draw(opened: FlameNode[] = []) {
  render(
    <FlameGraph
      tree={tree}
      label="Flame graph"
      colorOf={(node) => functionColor(node.function)}
      summary={(node) => frameSummary(node, tree.root.total)}
      details={(node) => frameDetails(node, profile, tree.root.total)}
      onOpen={(node) => opened.push(node)}
    />,
  );
  return within(screen.getByRole('group', { name: 'Flame graph' }));
}
const frame = (graph: ReturnType<typeof draw>, name: RegExp) => graph.getAllByRole('button', { name });

describe('the flame graph', () => {
  it('draws every frame, named, nested by depth, root at the top', () => {
    const graph = draw();
    const fibs = frame(graph, /^fib,/);
    expect(fibs.map((f) => f.dataset.depth)).toEqual(['2', '3']);
    expect(fibs[0]!.getAttribute('aria-label')).toBe('fib, total 60.0%, self 40.0%');
    expect(Number.parseFloat(fibs[1]!.style.top)).toBeGreaterThan(Number.parseFloat(fibs[0]!.style.top));
    const inlined = frame(graph, /^inl \(inlined\)/)[0]!;
    expect(inlined.className).toContain('inlined');
    fireEvent.click(screen.getByRole('checkbox', { name: 'root at the bottom' }));
    const flipped = frame(graph, /^fib,/);
    expect(Number.parseFloat(flipped[1]!.style.top)).toBeLessThan(Number.parseFloat(flipped[0]!.style.top));
  });

  it('says how many frames match a search and their share', () => {
    const graph = draw();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search frames' }), { target: { value: 'fib' } });
    expect(screen.getByRole('status', { name: 'Search matches' }).textContent).toBe('2 frames match, 60.0% of the total');
    expect(frame(graph, /^fib,/).every((f) => f.className.includes('match'))).toBe(true);
    expect(frame(graph, /^main,/)[0]!.className).toContain('dimmed');
  });

  it('shows a tooltip with the place and the counts', () => {
    const graph = draw();
    fireEvent.mouseMove(frame(graph, /^fib,/)[0]!, { clientX: 10, clientY: 10 });
    expect(screen.getByRole('tooltip').textContent).toBe('fibdemo.c:13self 4 instructions (40.0%)total 6 instructions (60.0%)');
  });

  it('zooms to a clicked frame and opens it; the breadcrumb and Reset zoom go back', () => {
    const opened: FlameNode[] = [];
    const graph = draw(opened);
    fireEvent.click(frame(graph, /^fib,/)[0]!);
    expect(opened.map((n) => n.function)).toEqual(['fib']);
    const zoomPath = within(screen.getByRole('navigation', { name: 'Zoom path' }));
    expect(zoomPath.getAllByRole('button').map((b) => b.textContent)).toEqual(['all', 'main', 'fib', 'Reset zoom']);
    // The zoomed frame fills the width; main's other callee is gone.
    expect(frame(graph, /^fib,/)[0]!.style.width).toBe(frame(graph, /^main,/)[0]!.style.width);
    expect(graph.queryAllByRole('button', { name: /^inl/ })).toHaveLength(0);
    fireEvent.click(zoomPath.getByRole('button', { name: 'main' }));
    expect(zoomPath.getAllByRole('button').map((b) => b.textContent)).toEqual(['all', 'main', 'Reset zoom']);
    fireEvent.click(zoomPath.getByRole('button', { name: 'Reset zoom' }));
    expect(zoomPath.getByRole('button', { name: 'Reset zoom' }).hasAttribute('disabled')).toBe(true);
    expect(frame(graph, /^inl/)).toHaveLength(1);
  });

  it('walks the calls with the arrow keys and zooms with Enter', () => {
    const graph = draw();
    const root = frame(graph, /^all,/)[0]!;
    expect(root.tabIndex).toBe(0);
    act(() => root.focus());
    fireEvent.keyDown(root, { key: 'ArrowDown' });
    const main = frame(graph, /^main,/)[0]!;
    expect(document.activeElement).toBe(main);
    fireEvent.keyDown(main, { key: 'ArrowDown' });
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(frame(graph, /^inl/)[0]);
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(screen.getByRole('navigation', { name: 'Zoom path' }).textContent).toBe('allmaininlReset zoom');
  });
});
