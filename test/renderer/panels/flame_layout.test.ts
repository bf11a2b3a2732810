// The Call trace view's arithmetic: where bars go, which are too small to draw, and each
// function's self time with recursion counted once.
import { describe, expect, it } from 'vitest';

import type { WireTraceEvent } from '../../../native/common/protocol/messages';
import { formatNs } from '../../../renderer/src/panels/durations';
import { layoutFlame, maxBars, summarize } from '../../../renderer/src/panels/flame_layout';

const fn = (name: string, depth: number, startNs: number, durationNs: number, kind: WireTraceEvent['kind'] = 'function'): WireTraceEvent => ({
  kind,
  name,
  depth,
  startNs,
  durationNs,
});

// main(0..1000) calls fib(100..700), which calls fib(200..400) and the host's print(500..600).
const tree = [fn('main', 0, 0, 1000), fn('fib', 1, 100, 600), fn('fib', 2, 200, 200), fn('print', 2, 500, 100, 'host'), fn('hlt', 0, 1000, 0, 'exit')];

describe('the flame layout', () => {
  it('places bars by start and duration, rows by depth', () => {
    const { bars, hidden, rows } = layoutFlame(tree, 1000, 500);
    expect(hidden).toBe(0);
    expect(rows).toBe(3);
    expect(bars.map((b) => [b.event.name, b.x, b.width, b.row])).toEqual([
      ['main', 0, 500, 0],
      ['fib', 50, 300, 1],
      ['fib', 100, 100, 2],
      ['print', 250, 50, 2],
      ['hlt', 500, 1, 0],
    ]);
  });

  it('leaves out bars under half a pixel, and draws at most maxBars', () => {
    const tiny = [fn('main', 0, 0, 1_000_000), fn('leaf', 1, 10, 100)];
    expect(layoutFlame(tiny, 1_000_000, 1000)).toMatchObject({ hidden: 1, rows: 1 });
    expect(layoutFlame(tiny, 1_000_000, 8000).hidden).toBe(0); // zoomed in 8×: 0.8 px
    const many = Array.from({ length: maxBars + 10 }, (_, i) => fn('f', 0, i, 1));
    const { bars, hidden } = layoutFlame(many, maxBars + 10, (maxBars + 10) * 2);
    expect(bars).toHaveLength(maxBars);
    expect(hidden).toBe(10);
  });

  it("sums each function's self time, not what it called", () => {
    expect(summarize(tree)).toEqual(
      [
        { name: 'main', kind: 'function', calls: 1, selfNs: 400 },
        { name: 'fib', kind: 'function', calls: 2, selfNs: 300 + 200 },
        { name: 'print', kind: 'host', calls: 1, selfNs: 100 },
      ].sort((a, b) => b.selfNs - a.selfNs),
    );
  });

  it('writes durations as people read them', () => {
    expect([formatNs(999), formatNs(1234), formatNs(45_600_000), formatNs(2e9)]).toEqual(['999 ns', '1.23 µs', '45.6 ms', '2.00 s']);
  });
});
