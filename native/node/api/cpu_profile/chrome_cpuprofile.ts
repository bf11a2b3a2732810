// A CPU profile as Chrome DevTools' .cpuprofile (the protocol's Profiler.Profile): a tree
// of functions, and samples in time. DevTools' tables give a node hitCount × (duration /
// all hits) of self time, its flame chart gives a sample the time to the next: both are
// made to follow the profile's counts.
import { expandedStack, firstLines, functionKey } from '../../../common/cpu_profile_tables.js';
import type { CpuProfile, ProfileFrame } from './types.js';

export interface ChromeCallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  /** 0-based; -1 where unknown. */
  lineNumber: number;
  columnNumber: number;
}

export interface ChromeProfileNode {
  id: number;
  callFrame: ChromeCallFrame;
  hitCount: number;
  children: number[];
}

export interface ChromeCpuProfile {
  nodes: ChromeProfileNode[];
  /** Microseconds, from 0. */
  startTime: number;
  endTime: number;
  samples: number[];
  /** Microseconds since the sample before (the first: since startTime). */
  timeDeltas: number[];
}

export function toChromeCpuProfile(profile: CpuProfile): ChromeCpuProfile {
  const lines = firstLines(profile);
  const root: ChromeProfileNode = { id: 1, callFrame: callFrame('(root)', '', -1), hitCount: 0, children: [] };
  const nodes = [root];
  const childrenByKey = new Map<ChromeProfileNode, Map<string, ChromeProfileNode>>();
  const child = (parent: ChromeProfileNode, frame: ProfileFrame): ChromeProfileNode => {
    const key = functionKey(frame);
    let byKey = childrenByKey.get(parent);
    if (!byKey) childrenByKey.set(parent, (byKey = new Map()));
    let found = byKey.get(key);
    if (!found) {
      const line = lines.get(key);
      found = { id: nodes.length + 1, callFrame: callFrame(frame.function, frame.file, line ? line - 1 : -1), hitCount: 0, children: [] };
      nodes.push(found);
      byKey.set(key, found);
      parent.children.push(found.id);
    }
    return found;
  };

  // Each stack's counts at the node its functions lead to.
  const countAt = new Map<ChromeProfileNode, number>();
  profile.stacks.forEach((_, stack) => {
    const leaf = expandedStack(profile, stack).reduceRight(child, root);
    countAt.set(leaf, (countAt.get(leaf) ?? 0) + profile.counts[stack]!);
  });

  // Samples in the tree's order, so the flame chart draws each path once, callers before callees.
  const order: ChromeProfileNode[] = [];
  const pending = [root]; // not recursion: a sampled stack can be as deep as the guest's
  while (pending.length) {
    const node = pending.pop()!;
    if (countAt.has(node)) order.push(node);
    for (let i = node.children.length - 1; i >= 0; --i) pending.push(nodes[node.children[i]! - 1]!);
  }

  const all = [...countAt.values()].reduce((sum, count) => sum + count, 0);
  const samples: number[] = [];
  const durations: number[] = []; // µs each sample stands for
  for (const node of order) {
    const count = countAt.get(node)!;
    node.hitCount = count;
    if (profile.kind === 'sampled') {
      for (let i = 0; i < count; ++i) {
        samples.push(node.id);
        durations.push(profile.periodNs / 1000);
      }
    } else {
      // One sample a path, its time in proportion to its instructions (as its hits are).
      samples.push(node.id);
      durations.push(all ? (count * profile.durationNs) / all / 1000 : 0);
    }
  }

  // Viewers give a sample the time up to the next one (DevTools gives the last an average,
  // speedscope none): each delta is the time of the sample before, and a last sample at the
  // root, where nothing runs, ends the last path on time.
  // The protocol's deltas are whole microseconds: each is rounded where the running total
  // falls, so the rounding never adds up, and a path shorter than one gets what it earns.
  const timeDeltas = [0];
  let elapsed = 0;
  for (const duration of durations) {
    const before = Math.round(elapsed);
    elapsed += duration;
    timeDeltas.push(Math.round(elapsed) - before);
  }
  if (samples.length) samples.push(root.id);
  else timeDeltas.length = 0;
  // From 0, not the wall clock: microseconds since 1970 in a double keep only quarters of
  // one, and an exact profile's paths can take less.
  const startTime = 0;
  const endTime = startTime + timeDeltas.reduce((sum, delta) => sum + delta, 0);
  return { nodes, startTime, endTime, samples, timeDeltas };
}

function callFrame(functionName: string, url: string, lineNumber: number): ChromeCallFrame {
  return { functionName, scriptId: '0', url, lineNumber, columnNumber: -1 };
}
