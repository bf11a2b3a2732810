// The .cpuprofile export's structure as DevTools reads it: a tree from node 1, samples of
// its nodes, a time for each; exact and sampled.
import { afterAll, describe, expect, it } from 'vitest';

import type { CpuProfile } from '../../../../../native/node/api/index.js';
import { type ChromeCpuProfile, toChromeCpuProfile } from '../../../../../native/node/api/cpu_profile/chrome_cpuprofile.js';
import { totalCount } from '../../../../../native/common/cpu_profile_tables.js';
import { openGuest, record, row } from './profiles.js';

const sandbox = await openGuest();
afterAll(() => sandbox.dispose());

/** Checks the tree and the samples; returns each node's time in µs as DevTools' flame chart draws it (to the next sample). */
function expectWellFormed(profile: CpuProfile): { chrome: ChromeCpuProfile; timeAt: Map<number, number> } {
  const chrome = JSON.parse(JSON.stringify(toChromeCpuProfile(profile))) as ChromeCpuProfile;
  const byId = new Map(chrome.nodes.map((node) => [node.id, node]));
  expect(byId.size).toBe(chrome.nodes.length);
  expect(chrome.nodes[0]).toMatchObject({ id: 1, callFrame: { functionName: '(root)' }, hitCount: 0 });
  // A tree: every node but the root is some node's child, once.
  const parents = new Map<number, number>();
  for (const node of chrome.nodes) {
    for (const child of node.children) {
      expect(byId.has(child), `child ${child}`).toBe(true);
      expect(parents.has(child)).toBe(false);
      parents.set(child, node.id);
    }
    expect(node.callFrame).toMatchObject({ scriptId: '0', columnNumber: -1 });
    expect(Number.isInteger(node.callFrame.lineNumber) && node.callFrame.lineNumber >= -1).toBe(true);
  }
  expect(parents.size).toBe(chrome.nodes.length - 1);
  expect(parents.has(1)).toBe(false);
  for (const id of chrome.samples) expect(byId.has(id), `sample ${id}`).toBe(true);
  expect(chrome.timeDeltas).toHaveLength(chrome.samples.length);
  expect(chrome.timeDeltas.every((delta) => delta >= 0)).toBe(true);
  expect(chrome.endTime).toBeCloseTo(chrome.startTime + chrome.timeDeltas.reduce((a, b) => a + b, 0), 6);
  expect(chrome.startTime).toBe(0);
  // The last sample is at the root: it ends the one before on time.
  expect(chrome.samples.at(-1)).toBe(1);
  const timeAt = new Map<number, number>();
  chrome.samples.forEach((id, i) => {
    if (i + 1 < chrome.samples.length) timeAt.set(id, (timeAt.get(id) ?? 0) + chrome.timeDeltas[i + 1]!);
  });
  return { chrome, timeAt };
}

describe('toChromeCpuProfile', () => {
  it('gives an exact profile a sample a path, timed in proportion to its instructions', async () => {
    const nested = await record(sandbox, 'nested', [3]);
    const { chrome, timeAt } = expectWellFormed(nested);
    expect(chrome.nodes.reduce((sum, node) => sum + node.hitCount, 0)).toBe(totalCount(nested));
    const spinOnce = chrome.nodes.filter((node) => node.callFrame.functionName === 'spin_once');
    expect(spinOnce).toHaveLength(1);
    expect(spinOnce[0]!.hitCount).toBe(row(nested, 'spin_once').self);
    expect(spinOnce[0]!.callFrame.url).toBe(row(nested, 'spin_once').file);
    expect(spinOnce[0]!.callFrame.lineNumber).toBeGreaterThanOrEqual(0);
    // Its path from the root: descend four deep.
    const parentOf = new Map(chrome.nodes.flatMap((node) => node.children.map((child) => [child, node] as const)));
    const path: string[] = [];
    for (let node = parentOf.get(spinOnce[0]!.id); node && node.id !== 1; node = parentOf.get(node.id)) path.push(node.callFrame.functionName);
    expect(path.filter((name) => name === 'descend')).toHaveLength(4);
    // Each path's time is its share of the calls' time.
    const seen = chrome.samples.slice(0, -1);
    expect(new Set(seen).size).toBe(seen.length);
    for (const node of chrome.nodes) {
      if (!node.hitCount) continue;
      expect(timeAt.get(node.id)).toBeCloseTo((node.hitCount * nested.durationNs) / totalCount(nested) / 1000, 6);
    }
    expect(chrome.endTime - chrome.startTime).toBeCloseTo(nested.durationNs / 1000, 6);
  });

  it('gives a sampled profile a sample a tick, each the timer period', async () => {
    const sampled = await record(sandbox, 'split', [1_000_000], { kind: 'sampled', rateHz: 2000 });
    const { chrome } = expectWellFormed(sampled);
    expect(chrome.samples.length - 1).toBe(totalCount(sampled));
    expect(chrome.nodes.reduce((sum, node) => sum + node.hitCount, 0)).toBe(chrome.samples.length - 1);
    expect(chrome.timeDeltas.slice(1).every((delta) => delta === sampled.periodNs / 1000)).toBe(true);
    const hits = new Map<number, number>();
    for (const id of chrome.samples.slice(0, -1)) hits.set(id, (hits.get(id) ?? 0) + 1);
    for (const node of chrome.nodes) expect(node.hitCount, node.callFrame.functionName).toBe(hits.get(node.id) ?? 0);
  });
});
