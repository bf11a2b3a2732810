// What the Latency panel's charts draw: shares of calls per bin, the percentile axis as
// HdrHistogram plots it, phases in µs, and ratios over the baseline.
import { describe, expect, it } from 'vitest';

import type { WireProfileRun } from '../../../../native/common/protocol/messages';
import { formatNs as formatLatency } from '../../../../renderer/src/panels/durations';
import { histogramSeries, percentileSeries, percentileTickLabel, phaseRows, ratios } from '../../../../renderer/src/panels/latency/chart_data';

function run(id: number, p50: number, extra: Partial<WireProfileRun> = {}): WireProfileRun {
  const summary = { count: 4, min: 100, mean: p50, stdev: 1, p50, p75: p50, p90: p50 * 2, p99: p50 * 4, p99_9: p50 * 8, p99_99: p50 * 8, max: p50 * 10 };
  return {
    id,
    label: `run ${id}`,
    imported: false,
    hasRows: false,
    cpuProfileId: null,
    bins: [],
    curve: [],
    profile: {
      format: 'microscope-profile/1',
      function: 'f',
      args: [],
      mode: 'warm',
      backend: 'emulated',
      iterations: 4,
      warmupIterations: 0,
      cancelled: false,
      wallMs: 1,
      startedAt: '',
      machine: { host: 'h', cpu: 'c', cpus: 1, node: 'v20' },
      summary,
      warmup: null,
      phases: { create: 0, restore: 500, run: 1500, host: 0, engine: 0 },
      histogram: 'HISTF',
    },
    ...extra,
  };
}

describe('latency chart data', () => {
  it("gives each bin its share of the run's calls, at the bin's geometric middle", () => {
    const r = run(1, 200, {
      bins: [
        { fromNs: 100, toNs: 400, count: 3 },
        { fromNs: 400, toNs: 1600, count: 1 },
      ],
    });
    expect(histogramSeries(r)).toEqual([
      { x: 200, y: 75 },
      { x: 800, y: 25 },
    ]);
  });

  it('puts percentiles on the 1/(1−p) axis, leaving out 100%', () => {
    const r = run(1, 200, {
      curve: [
        { percentile: 0, valueNs: 100 },
        { percentile: 50, valueNs: 200 },
        { percentile: 99, valueNs: 800 },
        { percentile: 100, valueNs: 2000 },
      ],
    });
    expect(percentileSeries(r).map((p) => [Number(p.x.toFixed(6)), p.y])).toEqual([
      [1, 100],
      [2, 200],
      [100, 800],
    ]);
    expect([1, 2, 10, 100, 1000, 10000].map(percentileTickLabel)).toEqual(['0%', '50%', '90%', '99%', '99.9%', '99.99%']);
  });

  it('gives phases in µs and ratios over the baseline', () => {
    expect(phaseRows([run(1, 200)])).toEqual([{ name: '#1 run 1', create: 0, restore: 0.5, run: 1.5, host: 0, engine: 0 }]);
    const table = ratios([run(1, 200), run(2, 500)]);
    expect(table.map((row) => row.label)).toEqual(['p50', 'p90', 'p99', 'p99.9', 'max', 'mean']);
    expect(table[0]!.values).toEqual([
      { ns: 200, ratio: 1 },
      { ns: 500, ratio: 2.5 },
    ]);
    expect(formatLatency(812)).toBe('812 ns');
    expect(formatLatency(1234)).toBe('1.23 µs');
  });
});
