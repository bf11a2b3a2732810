// The Call trace's flame chart arithmetic: where bars go in the window shown, that only
// the bars in sight are laid out (a 20,000-call trace included), what each bar says, the
// engine's lead-in row, dense runs of calls too narrow to tell apart, and each function's self time with recursion counted once.
import { describe, expect, it } from 'vitest';

import type { WireTraceEvent } from '../../../../native/common/protocol/messages';
import { formatNs } from '../../../../renderer/src/panels/durations';
import { barLabel, indexTrace, layoutFlame, layoutPhases, maxBars, selfTime, summarize } from '../../../../renderer/src/panels/trace/flame_layout';
import { fibTrace } from './fib_trace';

const fn = (name: string, depth: number, startNs: number, durationNs: number, kind: WireTraceEvent['kind'] = 'function'): WireTraceEvent => ({
  kind,
  name,
  depth,
  startNs,
  durationNs,
});

// main(0..1000) calls fib(100..700), which calls fib(200..400) and the host's print(500..600).
const tree = [fn('main', 0, 0, 1000), fn('fib', 1, 100, 600), fn('fib', 2, 200, 200), fn('print', 2, 500, 100, 'host'), fn('hlt', 0, 1000, 0, 'exit')];
const whole = (durationNs: number) => ({ startNs: 0, endNs: durationNs });
const layout = (events: WireTraceEvent[], window: { startNs: number; endNs: number }, width: number) => layoutFlame(events, indexTrace(events), window, width);

describe('the flame layout', () => {
  it('places bars by start and duration in the window, rows by depth', () => {
    const { bars, hidden, rows } = layout(tree, whole(1000), 500);
    expect(hidden).toBe(0);
    expect(rows).toBe(3);
    expect(bars.map((b) => [b.event.name, b.x, b.width, b.row])).toEqual([
      ['main', 0, 500, 0],
      ['hlt', 500, 2, 0],
      ['fib', 50, 300, 1],
      ['fib', 100, 100, 2],
      ['print', 250, 50, 2],
    ]);
  });

  it('clips a call begun before the window to its left edge, and leaves out what the window does not show', () => {
    const { bars } = layout(tree, { startNs: 450, endNs: 650 }, 200);
    expect(bars.map((b) => [b.event.name, b.x, b.width])).toEqual([
      ['main', 0, 200],
      ['fib', 0, 200],
      ['print', 50, 100],
    ]);
  });

  it('draws calls too narrow to tell apart as one dense run, unless kept, and at most maxBars', () => {
    // main calls ten leaves of 100 ns, 50 ns apart: at 1000 px for 1 ms, each 0.1 px.
    const leaves = [fn('main', 0, 0, 1_000_000), ...Array.from({ length: 10 }, (_, i) => fn('leaf', 1, 10_000 + i * 150, 100))];
    const coarse = layout(leaves, whole(1_000_000), 1000);
    expect(coarse.bars.map((b) => b.event.name)).toEqual(['main']);
    expect(coarse.dense).toMatchObject([{ row: 1, count: 10, startNs: 10_000, endNs: 11_450 }]);
    expect(coarse.dense[0]!.x).toBe(10);
    expect(coarse.hidden).toBe(10);
    // 400 times wider: 40 px each, all their own.
    const fine = layout(leaves, whole(1_000_000), 400_000);
    expect(fine.bars).toHaveLength(11);
    expect(fine).toMatchObject({ dense: [], hidden: 0 });
    // A lone narrow call is drawn as itself, a kept one at least 2 px wide.
    expect(layout(leaves.slice(0, 2), whole(1_000_000), 1000).bars[1]).toMatchObject({ index: 1, width: 1 });
    const kept = layoutFlame(leaves, indexTrace(leaves), whole(1_000_000), 1000, 3);
    expect(kept.bars[1]).toMatchObject({ index: 3, width: 2 });
    expect(kept.dense.map((d) => d.count)).toEqual([2, 7]);

    const many = Array.from({ length: maxBars + 10 }, (_, i) => fn('f', 0, i, 1));
    const { bars, hidden } = layout(many, whole(maxBars + 10), (maxBars + 10) * 2);
    expect(bars).toHaveLength(maxBars);
    expect(hidden).toBe(10);
  });

  it('lays out only the bars in sight of a 20,000-call trace', () => {
    const events = fibTrace(20);
    expect(events.filter((e) => e.kind === 'function')).toHaveLength(21_891);
    const index = indexTrace(events);
    const end = events.at(-1)!.startNs;
    const inView = (window: { startNs: number; endNs: number }) =>
      events.filter((e) => e.startNs <= window.endNs && e.startNs + e.durationNs >= window.startNs).length;

    const all = layoutFlame(events, index, whole(end), 1200);
    // The whole call: what 1200 px can show, a bar or a dense run per few pixels of each row.
    expect(all.bars.length + all.dense.length).toBeLessThan(events.length / 8);
    expect(all.dense.length).toBeGreaterThan(0);
    expect(all.bars.length + all.hidden).toBe(events.length);

    // Zoomed 200 times, in the middle: only the calls that cross the window, each on screen.
    const window = { startNs: end * 0.5, endNs: end * 0.505 };
    const { bars, hidden } = layoutFlame(events, index, window, 1200);
    expect(bars.length + hidden).toBe(inView(window));
    expect(bars.length + hidden).toBeLessThan(events.length / 50);
    for (const bar of bars) {
      expect(bar.event.startNs).toBeLessThanOrEqual(window.endNs);
      expect(bar.event.startNs + bar.event.durationNs).toBeGreaterThanOrEqual(window.startNs);
      expect(bar.x).toBeGreaterThanOrEqual(0);
      expect(bar.x + bar.width).toBeLessThanOrEqual(1200 + 1);
    }
    // The wide ones each their own bar, as looking at every event would find them.
    const scale = 1200 / (window.endNs - window.startNs);
    const wide = events
      .map((e, i) => ({ e, i }))
      .filter(({ e }) => e.startNs <= window.endNs && e.startNs + e.durationNs >= window.startNs)
      .filter(({ e }) => Math.min(window.endNs, e.startNs + e.durationNs) - Math.max(window.startNs, e.startNs) >= 2 / scale);
    expect(wide.length).toBeGreaterThan(20);
    expect(bars.filter((b) => b.width >= 2).map((b) => b.index)).toEqual(expect.arrayContaining(wide.map(({ i }) => i)));
  });

  it('labels a bar with its arguments and duration when they fit, else what fits', () => {
    const call: WireTraceEvent = { kind: 'function', name: 'fib', args: 'n=20', depth: 0, startNs: 0, durationNs: 1_234_000 };
    expect(barLabel(call, 200)).toBe('fib(n=20) 1.23 ms');
    expect(barLabel(call, 70)).toBe('fib(n=20)');
    expect(barLabel(call, 30)).toBe('fib');
    expect(barLabel(call, 10)).toBe('');
    expect(barLabel({ ...call, args: undefined }, 200)).toBe('fib 1.23 ms');
    expect(barLabel(tree[4]!, 200)).toBe('');
  });

  it("lays out the engine's lead-in as labelled bars", () => {
    const leadIn = [
      { name: 'restore the snapshot', startNs: 0, durationNs: 150_000 },
      { name: 'enter the guest', startNs: 150_000, durationNs: 36_000 },
    ];
    expect(layoutPhases(leadIn, whole(500_000), 1000)).toEqual([
      { phase: leadIn[0], x: 0, width: 300, label: 'restore the snapshot 150 µs' },
      { phase: leadIn[1], x: 300, width: 72, label: 'enter the guest' },
    ]);
    expect(layoutPhases(leadIn, { startNs: 200_000, endNs: 300_000 }, 1000)).toEqual([]);
  });

  it("sums each function's self time, not what it called", () => {
    expect(summarize(tree)).toEqual(
      [
        { name: 'main', kind: 'function', calls: 1, selfNs: 400 },
        { name: 'fib', kind: 'function', calls: 2, selfNs: 300 + 200 },
        { name: 'print', kind: 'host', calls: 1, selfNs: 100 },
      ].sort((a, b) => b.selfNs - a.selfNs),
    );
    const index = indexTrace(tree);
    expect([0, 1, 2, 3].map((i) => selfTime(tree, index, i))).toEqual([400, 300, 200, 100]);
  });

  it('writes durations as people read them', () => {
    expect([formatNs(999), formatNs(1234), formatNs(45_600_000), formatNs(2e9)]).toEqual(['999 ns', '1.23 µs', '45.6 ms', '2.00 s']);
  });
});
