// The latency profiler: its percentiles against the calls' own latencies, a distribution
// the guest controls, the encoded histogram as hdr-histogram-js reads it, the modes'
// ordering, durations, cancelling, and memory that stays bounded.
import { createRequire } from 'node:module';

import { afterAll, describe, expect, it } from 'vitest';

import { type IterationRow, profile, Sandbox } from '../../../../native/node/api/index.js';
import { demoGuestPath, testGuest } from '../../../helpers.js';

const hdr = createRequire(import.meta.url)('hdr-histogram-js') as typeof import('hdr-histogram-js');

const timing = await Sandbox.create(testGuest('timing'));
const demo = await Sandbox.create(demoGuestPath);
afterAll(() => {
  timing.dispose();
  demo.dispose();
});

/** The value at `p` over `values`, ranked as HdrHistogram ranks them. */
function exact(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.round((p / 100) * sorted.length)) - 1]!;
}

describe('profile', () => {
  it("reports the calls' own latencies to three significant digits", async () => {
    const rows: IterationRow[] = [];
    const result = await profile(timing, 'spin_for', [2000], { mode: 'restore', iterations: 3000, onIteration: (row) => rows.push(row) });
    expect(result).toMatchObject({ function: 'spin_for', args: ['2000'], mode: 'restore', iterations: 3000, warmupIterations: 300, cancelled: false });
    expect(rows.map((r) => r.iteration)).toEqual([...Array(3000).keys()]);
    const totals = rows.map((r) => r.totalNs);
    for (const [key, p] of [
      ['p50', 50],
      ['p75', 75],
      ['p90', 90],
      ['p99', 99],
      ['p99_9', 99.9],
    ] as const) {
      expect(Math.abs(result.summary[key] - exact(totals, p)) / exact(totals, p), key).toBeLessThanOrEqual(0.001);
    }
    expect(result.summary.min).toBeCloseTo(Math.min(...totals), -1);
    expect(Math.abs(result.summary.max - Math.max(...totals)) / Math.max(...totals)).toBeLessThanOrEqual(0.001);
    const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
    expect(Math.abs(result.summary.mean - mean) / mean).toBeLessThanOrEqual(0.001);
    // Phases: their means add up to the total's; a restore call spends some time restoring.
    const { create, restore, run, host, engine } = result.phases;
    expect(create).toBe(0);
    expect(restore).toBeGreaterThan(0);
    expect(Math.abs(create + restore + run + host + engine - mean) / mean).toBeLessThan(0.001);
  });

  it('finds the steps of a distribution the guest controls', async () => {
    // staircase(n) runs 0, n, 2n, 3n rounds on successive calls: four equal steps.
    const rows: IterationRow[] = [];
    const result = await profile(timing, 'staircase', [50_000], { mode: 'warm', iterations: 400, warmup: 0, onIteration: (row) => rows.push(row) });
    const steps = [0, 1, 2, 3].map((step) => rows.filter((r) => r.iteration % 4 === step).map((r) => r.totalNs));
    const histogram = hdr.decodeFromCompressedBase64(result.histogram);
    [12.5, 37.5, 62.5, 87.5].forEach((p, step) => {
      const value = histogram.getValueAtPercentile(p);
      expect(value, `p${p}`).toBeGreaterThanOrEqual(Math.min(...steps[step]!) * 0.999);
      expect(value, `p${p}`).toBeLessThanOrEqual(Math.max(...steps[step]!) * 1.001);
    });
    // n rounds against 3n: the middle of the second step is about a third of the fourth's.
    const ratio = histogram.getValueAtPercentile(37.5) / histogram.getValueAtPercentile(87.5);
    expect(ratio).toBeGreaterThan(0.2);
    expect(ratio).toBeLessThan(0.5);
  });

  it('encodes its histogram so hdr-histogram-js reads the same percentiles', async () => {
    const result = await profile(demo, 'fib', [8], { iterations: 2000 });
    expect(result.histogram).toMatch(/^HISTF/);
    const decoded = hdr.decodeFromCompressedBase64(result.histogram);
    expect(decoded.totalCount).toBe(2000);
    expect(decoded.getValueAtPercentile(50)).toBe(result.summary.p50);
    expect(decoded.getValueAtPercentile(99.9)).toBe(result.summary.p99_9);
    // The encoding keeps counts per bucket: the largest comes back as its bucket's top.
    expect(Math.abs(decoded.maxValue - result.summary.max) / result.summary.max).toBeLessThanOrEqual(0.001);
  });

  it('orders cold above restore above warm, and says where the time goes', async () => {
    const warm = await profile(demo, 'greet', ['Ada'], { mode: 'warm', iterations: 3000 });
    const restore = await profile(demo, 'greet', ['Ada'], { mode: 'restore', iterations: 3000 });
    const cold = await profile(demo, 'greet', ['Ada'], { mode: 'cold', iterations: 100, warmup: 5 });
    expect(warm.phases).toMatchObject({ create: 0, restore: 0 });
    expect(restore.phases.create).toBe(0);
    expect(restore.phases.restore).toBeGreaterThan(0);
    expect(cold.phases.create).toBeGreaterThan(restore.summary.p50);
    expect(restore.summary.p50).toBeGreaterThan(warm.summary.p50);
    expect(cold.summary.p50).toBeGreaterThan(restore.summary.p50 * 5);
  });

  it('runs for a duration, reporting progress', async () => {
    const progress: number[] = [];
    const result = await profile(demo, 'add', [1n, 2n], { durationMs: 300, warmup: 0, onProgress: (p) => progress.push(p.done) });
    expect(result.wallMs).toBeGreaterThanOrEqual(300);
    expect(result.iterations).toBeGreaterThan(1000);
    expect(progress.at(-1)).toBe(result.iterations);
    expect(progress.length).toBeGreaterThan(2);
  });

  it('stops when cancelled, with what it measured, and leaves the sandbox usable', async () => {
    const abort = new AbortController();
    // Cancelled from its own progress, once it has measured a few chunks.
    const result = await profile(timing, 'spin_for', [1_000_000], {
      durationMs: 60_000,
      warmup: 0,
      signal: abort.signal,
      onProgress: ({ done }) => done >= 20 && abort.abort(),
    });
    expect(result.cancelled).toBe(true);
    expect(result.iterations).toBeGreaterThanOrEqual(20);
    expect(result.wallMs).toBeLessThan(60_000);
    expect(result.iterations).toBe(hdr.decodeFromCompressedBase64(result.histogram).totalCount);
    expect(await timing.call('spin_for', 10)).toBe(45n);
  });

  it('keeps nothing per call: a million calls leave memory where it was', async () => {
    const before = process.memoryUsage().rss;
    const result = await profile(demo, 'add', [1n, 2n], { mode: 'warm', iterations: 1_000_000, warmup: 0 });
    expect(result.iterations).toBe(1_000_000);
    // The engine's native loop fills a chunk of at most 100,000 calls (5 columns of
    // 8 bytes); everything else is the histogram.
    expect(process.memoryUsage().rss - before).toBeLessThan(48 << 20);
  });

  it('refuses what it cannot do', async () => {
    await expect(profile(demo, 'nope', [])).rejects.toThrow(/nope/);
    await expect(profile(demo, 'add', [1n, 2n], { iterations: 0 })).rejects.toThrow('iterations must be a whole number of 1 or more');
    await expect(profile(demo, 'add', [1n, 2n], { durationMs: -1 })).rejects.toThrow('a duration must be more than 0 ms');
  });
});
