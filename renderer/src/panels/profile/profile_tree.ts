// A CPU profile's stacks as one call tree, root first, for the flame graph: frames merge by
// function along the path from the root (as speedscope's left-heavy view and DevTools'
// tree do), so a function called from the same callers is one frame however many
// addresses it ran at. An inlined function is a frame of its own, marked, under the one it
// is inlined into.
import type { CpuProfile, ProfileFrame } from '../../../../native/common/cpu_profile';
import { expandedStack } from './profile_tables';

export interface FlameNode {
  /** Preorder index, unique in its tree: what React and the zoom know it by. */
  id: number;
  /** The same on the same path in another profile's tree: how a comparison finds its baseline. */
  key: string;
  function: string;
  file: string;
  /** The line that ran most in this frame (for a caller: the call), 0 where unknown. */
  line: number;
  inlined: boolean;
  /** Counts that ran in this frame itself, and in it or under it. */
  self: number;
  total: number;
  /** 0 is the root ("all"), which stands for every stack. */
  depth: number;
  parent: FlameNode | null;
  /** The heaviest first, so the flame graph reads left-heavy. */
  children: FlameNode[];
}

export interface FlameTree {
  root: FlameNode;
  /** Every node, by id (preorder). */
  nodes: FlameNode[];
}

export const rootName = 'all';

function frameKey(frame: ProfileFrame): string {
  return `${frame.function}\u0000${frame.file}${frame.inlined ? '\u0000inlined' : ''}`;
}

interface Growing extends FlameNode {
  byKey: Map<string, Growing>;
  lines: Map<number, number>;
}

function grow(frame: ProfileFrame | null, parent: Growing | null): Growing {
  return {
    id: 0,
    key: frame ? frameKey(frame) : rootName,
    function: frame?.function ?? rootName,
    file: frame?.file ?? '',
    line: 0,
    inlined: frame?.inlined ?? false,
    self: 0,
    total: 0,
    depth: parent ? parent.depth + 1 : 0,
    parent,
    children: [],
    byKey: new Map(),
    lines: new Map(),
  };
}

/** The profile's call tree, merged by function along each path. */
export function buildTree(profile: CpuProfile): FlameTree {
  const root = grow(null, null);
  profile.stacks.forEach((_, stack) => {
    const count = profile.counts[stack]!;
    if (count === 0) return;
    root.total += count;
    let node = root;
    // The stack is innermost first; the tree is root first.
    for (const frame of expandedStack(profile, stack).reverse()) {
      const key = frameKey(frame);
      let child = node.byKey.get(key);
      if (!child) node.byKey.set(key, (child = grow(frame, node)));
      child.total += count;
      if (frame.line > 0) child.lines.set(frame.line, (child.lines.get(frame.line) ?? 0) + count);
      node = child;
    }
    node.self += count;
  });
  const nodes: FlameNode[] = [];
  const finish = (node: Growing) => {
    node.id = nodes.length;
    nodes.push(node);
    let most = 0;
    for (const [line, count] of node.lines) if (count > most) [node.line, most] = [line, count];
    node.children = [...node.byKey.values()].sort((a, b) => b.total - a.total || a.function.localeCompare(b.function));
    node.children.forEach((child) => finish(child as Growing));
    // Only what the view reads stays: the maps were for building.
    delete (node as Partial<Growing>).byKey;
    delete (node as Partial<Growing>).lines;
  };
  finish(root);
  return { root, nodes };
}

/** From the root to `node`, both included: the zoom's breadcrumb. */
export function pathTo(node: FlameNode): FlameNode[] {
  const path: FlameNode[] = [];
  for (let at: FlameNode | null = node; at; at = at.parent) path.unshift(at);
  return path;
}

export interface SearchResult {
  /** The frames whose function matches. */
  matches: Set<FlameNode>;
  /** Of the root's total: what ran in or under a match, a recursion counted once. */
  share: number;
}

/** The frames whose function contains `query` (any case); an empty query matches none. */
export function searchTree(tree: FlameTree, query: string): SearchResult {
  const matches = new Set<FlameNode>();
  const wanted = query.trim().toLowerCase();
  if (!wanted) return { matches, share: 0 };
  let covered = 0;
  const visit = (node: FlameNode, inMatch: boolean) => {
    const match = node !== tree.root && node.function.toLowerCase().includes(wanted);
    if (match) matches.add(node);
    // A match under a match is already in its total.
    if (match && !inMatch) covered += node.total;
    for (const child of node.children) visit(child, inMatch || match);
  };
  visit(tree.root, false);
  return { matches, share: tree.root.total ? covered / tree.root.total : 0 };
}
