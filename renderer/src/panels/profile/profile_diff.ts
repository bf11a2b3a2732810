// Two profiles compared by share, not count: runs of different lengths, backends or units
// (instructions against samples) count differently, but each says what part of its whole
// a frame or function took. Frames match by their path from the root; functions by name
// and file.
import { type FunctionRow, functionKey } from './profile_tables';
import type { FlameNode, FlameTree } from './profile_tree';

export interface ShareChange {
  /** Self shares (0..1 of each profile's whole), and comparison minus baseline. */
  baseline: number;
  comparison: number;
  delta: number;
  /** The same of total shares. */
  totalDelta: number;
}

/** Each frame of the comparison's tree against the frame on the same path in the baseline's (none: a share of 0). */
export function diffTrees(comparison: FlameTree, baseline: FlameTree): Map<FlameNode, ShareChange> {
  const changes = new Map<FlameNode, ShareChange>();
  const comparisonAll = comparison.root.total || 1;
  const baselineAll = baseline.root.total || 1;
  const visit = (node: FlameNode, before: FlameNode | undefined) => {
    const [now, then] = [node.self / comparisonAll, (before?.self ?? 0) / baselineAll];
    changes.set(node, { baseline: then, comparison: now, delta: now - then, totalDelta: node.total / comparisonAll - (before?.total ?? 0) / baselineAll });
    const earlier = new Map(before?.children.map((child) => [child.key, child]));
    for (const child of node.children) visit(child, earlier.get(child.key));
  };
  visit(comparison.root, baseline.root);
  return changes;
}

/** The largest change of self share among the frames: what the colours scale to. */
export function largestChange(changes: Map<FlameNode, ShareChange>): number {
  let most = 0;
  for (const change of changes.values()) most = Math.max(most, Math.abs(change.delta));
  return most;
}

export interface FunctionChange extends ShareChange {
  function: string;
  file: string;
}

/** Every function of either profile with its self shares in both, the largest change first. */
export function diffFunctions(baseline: FunctionRow[], comparison: FunctionRow[]): FunctionChange[] {
  const rows = new Map<string, FunctionChange>();
  const row = (fn: FunctionRow) => {
    const key = functionKey(fn);
    let found = rows.get(key);
    if (!found) rows.set(key, (found = { function: fn.function, file: fn.file, baseline: 0, comparison: 0, delta: 0, totalDelta: 0 }));
    return found;
  };
  for (const fn of baseline) {
    const found = row(fn);
    found.baseline = fn.selfShare;
    found.totalDelta -= fn.totalShare;
  }
  for (const fn of comparison) {
    const found = row(fn);
    found.comparison = fn.selfShare;
    found.totalDelta += fn.totalShare;
  }
  const changes = [...rows.values()];
  for (const found of changes) found.delta = found.comparison - found.baseline;
  return changes.sort(
    (a, b) => Math.abs(b.delta) - Math.abs(a.delta) || Math.abs(b.totalDelta) - Math.abs(a.totalDelta) || a.function.localeCompare(b.function),
  );
}
