// The .cpuprofile export's structure as DevTools reads it: the DevTools protocol's own
// definition of a profile (Profiler.Profile in devtools-protocol's js_protocol.json, what
// DevTools loads a .cpuprofile as), a tree from node 1, samples of its nodes, a time for
// each; exact and sampled.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { afterAll, describe, expect, it } from 'vitest';

import type { CpuProfile } from '../../../../../native/node/api/index.js';
import { type ChromeCpuProfile, toChromeCpuProfile } from '../../../../../native/node/api/cpu_profile/chrome_cpuprofile.js';
import { totalCount } from '../../../../../native/common/cpu_profile_tables.js';
import { openGuest, record, row } from './profiles.js';

const sandbox = await openGuest();
afterAll(() => sandbox.dispose());

interface ProtocolType {
  id?: string;
  type?: string;
  $ref?: string;
  items?: ProtocolType;
  properties?: (ProtocolType & { name: string; optional?: boolean })[];
  enum?: string[];
}
const protocol = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('devtools-protocol/json/js_protocol.json'), 'utf8')) as {
  domains: { domain: string; types?: ProtocolType[] }[];
};

/** Where `value` differs from the protocol's type `spec` (in `domain`), as "path: problem" lines. */
function protocolProblems(value: unknown, spec: ProtocolType, domain: string, path: string): string[] {
  if (spec.$ref) {
    const [refDomain, id] = spec.$ref.includes('.') ? spec.$ref.split('.') : [domain, spec.$ref];
    const type = protocol.domains.find((d) => d.domain === refDomain)?.types?.find((t) => t.id === id);
    if (!type) return [`${path}: the protocol has no ${spec.$ref}`];
    return protocolProblems(value, type, refDomain!, path);
  }
  switch (spec.type) {
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: not an integer`];
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? [] : [`${path}: not a number`];
    case 'string':
      return typeof value === 'string' && (!spec.enum || spec.enum.includes(value)) ? [] : [`${path}: not a string of the type`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: not a boolean`];
    case 'array':
      return Array.isArray(value) ? value.flatMap((item, i) => protocolProblems(item, spec.items!, domain, `${path}[${i}]`)) : [`${path}: not an array`];
    case 'object': {
      if (typeof value !== 'object' || value === null) return [`${path}: not an object`];
      const object = value as Record<string, unknown>;
      const known = new Set((spec.properties ?? []).map((p) => p.name));
      const problems = Object.keys(object)
        .filter((key) => !known.has(key))
        .map((key) => `${path}.${key}: not in the protocol`);
      for (const property of spec.properties ?? []) {
        if (object[property.name] === undefined) {
          if (!property.optional) problems.push(`${path}.${property.name}: missing`);
        } else {
          problems.push(...protocolProblems(object[property.name], property, domain, `${path}.${property.name}`));
        }
      }
      return problems;
    }
    default:
      return [`${path}: the protocol's type ${spec.type} is not checked here`];
  }
}

/** Checks the tree and the samples; returns each node's time in µs as DevTools' flame chart draws it (to the next sample). */
function expectWellFormed(profile: CpuProfile): { chrome: ChromeCpuProfile; timeAt: Map<number, number> } {
  const chrome = JSON.parse(JSON.stringify(toChromeCpuProfile(profile))) as ChromeCpuProfile;
  expect(protocolProblems(chrome, { $ref: 'Profiler.Profile' }, 'Profiler', 'profile')).toEqual([]);
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
      // In whole microseconds, as the protocol has them: within one of its share.
      expect(Math.abs(timeAt.get(node.id)! - (node.hitCount * nested.durationNs) / totalCount(nested) / 1000)).toBeLessThanOrEqual(1);
    }
    expect(Math.abs(chrome.endTime - chrome.startTime - nested.durationNs / 1000)).toBeLessThanOrEqual(0.5);
  });

  it('gives a sampled profile a sample a tick, each the timer period', async () => {
    const sampled = await record(sandbox, 'split', [1_000_000], { kind: 'sampled', rateHz: 2000 });
    const { chrome } = expectWellFormed(sampled);
    expect(chrome.samples.length - 1).toBe(totalCount(sampled));
    expect(chrome.nodes.reduce((sum, node) => sum + node.hitCount, 0)).toBe(chrome.samples.length - 1);
    expect(chrome.timeDeltas.slice(1).every((delta) => delta === sampled.periodNs / 1000)).toBe(true); // 500 µs: whole
    const hits = new Map<number, number>();
    for (const id of chrome.samples.slice(0, -1)) hits.set(id, (hits.get(id) ?? 0) + 1);
    for (const node of chrome.nodes) expect(node.hitCount, node.callFrame.functionName).toBe(hits.get(node.id) ?? 0);
    // 3 kHz: a period of 333⅓ µs, in the protocol's whole microseconds, adding up.
    const odd = await record(sandbox, 'split', [1_000_000], { kind: 'sampled', rateHz: 3000 });
    const { chrome: rounded } = expectWellFormed(odd);
    expect(rounded.endTime).toBe(Math.round((totalCount(odd) * odd.periodNs) / 1000));
  });
});
