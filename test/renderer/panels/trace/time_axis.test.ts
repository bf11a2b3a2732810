// The Call trace's time ruler: ticks a round step apart, a label's width apart at any
// zoom, labelled in ns, µs, ms or s with the decimals the step needs, moving with a pan.
import { describe, expect, it } from 'vitest';

import { minimumTickSpacing, roundStep, tickLabel, timeTicks } from '../../../../renderer/src/panels/trace/time_axis';

describe('the time ruler', () => {
  it('steps by 1, 2 or 5 times a power of ten', () => {
    expect([1, 3, 7, 12, 180, 200, 201, 4999, 60_000].map(roundStep)).toEqual([1, 5, 10, 20, 200, 200, 500, 5000, 100_000]);
  });

  it('puts ticks a round step apart, at least a label apart, across the window', () => {
    const ticks = timeTicks({ startNs: 0, endNs: 1_000_000 }, 1000);
    expect(ticks.map((t) => t.label)).toEqual(['0', '0.1 ms', '0.2 ms', '0.3 ms', '0.4 ms', '0.5 ms', '0.6 ms', '0.7 ms', '0.8 ms', '0.9 ms', '1.0 ms']);
    expect(ticks.map((t) => t.x)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    for (const [window, width] of [
      [{ startNs: 123, endNs: 98_765 }, 700],
      [{ startNs: 5e6, endNs: 5.3e6 }, 1234],
      [{ startNs: 1_234_500, endNs: 1_234_520 }, 1000],
    ] as const) {
      const some = timeTicks(window, width);
      expect(some.length).toBeGreaterThan(2);
      for (const [i, tick] of some.entries()) {
        expect(tick.ns).toBeGreaterThanOrEqual(window.startNs);
        expect(tick.ns).toBeLessThanOrEqual(window.endNs);
        if (i) expect(tick.x - some[i - 1]!.x).toBeGreaterThanOrEqual(minimumTickSpacing - 1e-9);
      }
    }
  });

  it('labels in the unit of the times shown, with the decimals the zoom needs', () => {
    expect(timeTicks({ startNs: 0, endNs: 900 }, 900).map((t) => t.label)).toEqual([
      '0',
      '100 ns',
      '200 ns',
      '300 ns',
      '400 ns',
      '500 ns',
      '600 ns',
      '700 ns',
      '800 ns',
      '900 ns',
    ]);
    // Zoomed deep into a 8 ms call: 20 ns across 1000 px, ticks 2 ns apart read in ms.
    expect(timeTicks({ startNs: 1_234_500, endNs: 1_234_520 }, 1000).map((t) => t.label)).toEqual([
      '1.234500 ms',
      '1.234502 ms',
      '1.234504 ms',
      '1.234506 ms',
      '1.234508 ms',
      '1.234510 ms',
      '1.234512 ms',
      '1.234514 ms',
      '1.234516 ms',
      '1.234518 ms',
      '1.234520 ms',
    ]);
    expect([tickLabel(1500, 500, 9000), tickLabel(186_000, 20_000, 250_000), tickLabel(2.5e9, 5e8, 3e9)]).toEqual(['1.5 µs', '186 µs', '2.5 s']);
  });

  it('follows a pan: the same times, moved by the pan', () => {
    const before = timeTicks({ startNs: 0, endNs: 10_000 }, 1000);
    const after = timeTicks({ startNs: 2500, endNs: 12_500 }, 1000);
    const at = (ticks: typeof before, ns: number) => ticks.find((t) => t.ns === ns)!.x;
    expect(at(before, 5000) - at(after, 5000)).toBeCloseTo(250, 9);
    expect(after.map((t) => t.label)).toEqual(['3 µs', '4 µs', '5 µs', '6 µs', '7 µs', '8 µs', '9 µs', '10 µs', '11 µs', '12 µs']);
  });
});
