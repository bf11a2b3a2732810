// The Latency panel's latency axes span every run shown, whatever its count: a 1-call run
// beside a long run of slow calls no longer cuts the axis short of the long run's curve.
import { describe, expect, it } from 'vitest';

import { latencyDomain, latencyTicks, percentileDomain, roundLatency } from '../../../../renderer/src/panels/latency/latency_axis';
import { profileRun } from './profile_run';

describe('the latency axes', () => {
  it('round out to 1, 2 or 5 times a power of ten', () => {
    expect([1, 99, 100, 101, 1999, 4999, 7000].map((ns) => roundLatency(ns, false))).toEqual([1, 50, 100, 100, 1000, 2000, 5000]);
    expect([1, 99, 100, 101, 1999, 4999, 7000].map((ns) => roundLatency(ns, true))).toEqual([1, 100, 100, 200, 2000, 5000, 10_000]);
  });

  it('span a 1-call run and a many-call run running into milliseconds, ticks and all', () => {
    const many = profileRun(1, 10_000, 9_000, 2_300_000); // 9 µs to 2.3 ms
    const one = profileRun(2, 1, 132_000); // one call of 132 µs
    for (const runs of [
      [many, one],
      [one, many],
    ]) {
      const domain = latencyDomain(runs);
      expect(domain).toEqual([5000, 5_000_000]);
      // Ticks across the whole of it, into the milliseconds, not stopping at the 1-call run.
      expect(latencyTicks(domain)).toEqual([10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000]);
    }
  });

  it('give a lone 1-call run a step of room', () => {
    expect(latencyDomain([profileRun(1, 1, 132_000)])).toEqual([100_000, 200_000]);
    expect(latencyTicks([100_000, 200_000])).toEqual([100_000, 200_000]);
    expect(latencyDomain([profileRun(1, 1, 100_000)])).toEqual([100_000, 200_000]);
    expect(latencyDomain([])).toEqual([1, 10]);
  });

  it('thin the ticks when they would crowd', () => {
    expect(latencyTicks([100, 10_000])).toEqual([100, 200, 500, 1000, 2000, 5000, 10_000]);
    expect(latencyTicks([100, 100_000])).toEqual([100, 300, 1000, 3000, 10_000, 30_000, 100_000]);
    expect(latencyTicks([10, 1e9])).toEqual([10, 1000, 1e5, 1e7, 1e9]);
    expect(latencyTicks([1, 1e12])).toEqual([1, 100, 1e4, 1e6, 1e8, 1e10, 1e12]);
  });

  it('take the percentile axis out to the highest percentile any run reached', () => {
    const many = profileRun(1, 10_000, 9_000, 2_300_000);
    expect(percentileDomain([profileRun(2, 1, 132_000), many]).domain[1]).toBeCloseTo(1000, 6);
    expect(percentileDomain([profileRun(2, 1, 132_000)])).toEqual({ domain: [1, 10], ticks: [1, 2, 10] });
  });
});
