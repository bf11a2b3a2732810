// The flame graph's call tree: stacks merged by function along the path from the root
// (recursion and all), inlined functions as frames of their own, the heaviest child first;
// the search's matches and their share, a recursion counted once.
import { describe, expect, it } from 'vitest';

import { buildTree, type FlameNode, pathTo, rootName, searchTree } from '../../../../renderer/src/panels/profile/profile_tree';
import { profileOf } from './profile_fixture';

/** "name self/total" for each node, indented by depth. */
function outline(node: FlameNode): string[] {
  const me = `${'  '.repeat(node.depth)}${node.function}${node.inlined ? '*' : ''} ${node.self}/${node.total}`;
  return [me, ...node.children.flatMap(outline)];
}

describe('the call tree', () => {
  it('merges stacks by function along each path, whatever line they ran at', () => {
    const tree = buildTree(profileOf({ 'main>fib:12': 3, 'main>fib:13': 4, 'main>fib>fib:12': 2, 'main>print:30': 1, 'main:5': 1 }));
    expect(outline(tree.root)).toEqual(['all 0/11', '  main 1/11', '    fib 7/9', '      fib 2/2', '    print 1/1']);
    expect(tree.root.function).toBe(rootName);
    // The line that ran most in the frame.
    expect(tree.root.children[0]!.children[0]!.line).toBe(13);
    // Preorder ids index the nodes.
    expect(tree.nodes.map((n) => n.id)).toEqual([0, 1, 2, 3, 4]);
    expect(tree.nodes.every((n, i) => n.id === i)).toBe(true);
  });

  it('keeps an inlined function as its own frame, under the one it is inlined into', () => {
    const tree = buildTree(profileOf({ 'main>work>*helper:5': 6, 'main>work:9': 2, 'main>helper:40': 1 }));
    expect(outline(tree.root)).toEqual(['all 0/9', '  main 0/9', '    work 2/8', '      helper* 6/6', '    helper 1/1']);
    const inlined = tree.root.children[0]!.children[0]!.children[0]!;
    expect(inlined.inlined).toBe(true);
    expect(inlined.key).not.toBe(tree.root.children[0]!.children[1]!.key);
  });

  it('puts the heaviest child first, ties by name', () => {
    const tree = buildTree(profileOf({ 'main>b': 1, 'main>a': 1, 'main>c': 5 }));
    expect(tree.root.children[0]!.children.map((c) => c.function)).toEqual(['c', 'a', 'b']);
  });

  it('gives the path from the root to a frame', () => {
    const tree = buildTree(profileOf({ 'main>fib>fib': 1 }));
    const deepest = tree.nodes.at(-1)!;
    expect(pathTo(deepest).map((n) => n.function)).toEqual(['all', 'main', 'fib', 'fib']);
  });
});

describe('the search', () => {
  const tree = buildTree(profileOf({ 'main>fib>fib': 2, 'main>fib': 4, 'main>print': 4 }));

  it('finds frames by part of their name, any case, and their share with a recursion counted once', () => {
    const found = searchTree(tree, 'FI');
    expect([...found.matches].map((n) => `${n.function}@${n.depth}`)).toEqual(['fib@2', 'fib@3']);
    expect(found.share).toBeCloseTo(0.6);
    expect(searchTree(tree, 'print').share).toBeCloseTo(0.4);
  });

  it('matches nothing for an empty query, nor the root', () => {
    expect(searchTree(tree, '  ').matches.size).toBe(0);
    expect(searchTree(tree, 'all').matches.size).toBe(0);
  });
});
