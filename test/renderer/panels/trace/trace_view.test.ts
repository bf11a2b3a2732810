// The Call trace's window on the call: zooming at the pointer keeps the time under it
// where it was, panning and zooming stay inside the call, a selection becomes the window,
// a search match is panned into view, and the wheel and W/S/A/D move it as Perfetto does.
import { describe, expect, it } from 'vitest';

import {
  clampWindow,
  keyStep,
  magnification,
  minimumSpanNs,
  nsToX,
  panBy,
  reveal,
  wheelZoom,
  wholeCall,
  xToNs,
  zoomAt,
  zoomToRange,
} from '../../../../renderer/src/panels/trace/trace_view';

const whole = wholeCall(1_000_000); // a 1 ms call

describe('the trace view', () => {
  it('zooms at the pointer: the time under it stays under it', () => {
    const width = 1000;
    let view = whole;
    for (const [x, factor] of [
      [300, 8],
      [900, 3],
      [10, 1.5],
      [500, 0.5],
    ] as const) {
      const anchor = xToNs(view, width, x);
      const next = zoomAt(view, factor, anchor, whole);
      expect(xToNs(next, width, x)).toBeCloseTo(anchor, 6);
      expect((view.endNs - view.startNs) / (next.endNs - next.startNs)).toBeCloseTo(factor, 9);
      view = next;
    }
    // 8× at 30% of the way: 300 µs stays at 300 px, not the left edge's 0.
    const eight = zoomAt(whole, 8, 300_000, whole);
    expect(eight).toEqual({ startNs: 300_000 - 0.3 * 125_000, endNs: 300_000 + 0.7 * 125_000 });
    expect(nsToX(eight, width, 300_000)).toBeCloseTo(300, 9);
    expect(magnification(eight, whole)).toBe(8);
  });

  it('stays inside the call, no longer than it and no shorter than minimumSpanNs', () => {
    expect(zoomAt(whole, 0.25, 900_000, whole)).toEqual(whole);
    const deep = zoomAt(whole, 1e9, 500_000, whole);
    expect(deep.endNs - deep.startNs).toBe(minimumSpanNs);
    expect(deep.startNs).toBeCloseTo(500_000 - minimumSpanNs / 2, 6);
    const right = zoomAt(whole, 4, 1_000_000, whole);
    expect(right).toEqual({ startNs: 750_000, endNs: 1_000_000 });
    // Zooming out near the edge: as far as it goes, then against the edge.
    const near = { startNs: 990_000, endNs: 1_000_000 };
    expect(zoomAt(near, 0.1, 995_000, whole)).toEqual({ startNs: 900_000, endNs: 1_000_000 });
    expect(panBy({ startNs: 100, endNs: 200 }, -1000, whole)).toEqual({ startNs: 0, endNs: 100 });
    expect(panBy({ startNs: 100, endNs: 200 }, 2e6, whole)).toEqual({ startNs: 999_900, endNs: 1_000_000 });
    expect(clampWindow({ startNs: -5, endNs: 2e6 }, whole)).toEqual(whole);
  });

  it('zooms to a selected range, dragged either way', () => {
    expect(zoomToRange(600_000, 200_000, whole)).toEqual({ startNs: 200_000, endNs: 600_000 });
    expect(zoomToRange(200_000, 600_000, whole)).toEqual({ startNs: 200_000, endNs: 600_000 });
    // Too short: grown about its middle.
    expect(zoomToRange(500_000, 500_004, whole)).toEqual({ startNs: 500_002 - minimumSpanNs / 2, endNs: 500_002 + minimumSpanNs / 2 });
    // Past the call's end: cut to it.
    expect(zoomToRange(900_000, 1_200_000, whole)).toEqual({ startNs: 900_000, endNs: 1_000_000 });
  });

  it('pans a search match into view without zooming', () => {
    const view = { startNs: 0, endNs: 100_000 };
    expect(reveal(view, { startNs: 10_000, durationNs: 5000 }, whole)).toBe(view);
    expect(reveal(view, { startNs: 500_000, durationNs: 10_000 }, whole)).toEqual({ startNs: 455_000, endNs: 555_000 });
    // Wider than the window: its start near the left edge.
    expect(reveal(view, { startNs: 500_000, durationNs: 300_000 }, whole)).toEqual({ startNs: 495_000, endNs: 595_000 });
  });

  it('zooms in on wheel up and a pinch out, and knows W/S/A/D', () => {
    expect(wheelZoom(-100, 0, false)).toBeGreaterThan(1);
    expect(wheelZoom(100, 0, false)).toBeCloseTo(1 / wheelZoom(-100, 0, false), 12);
    expect(wheelZoom(-3, 1, false)).toBeCloseTo(wheelZoom(-48, 0, false), 12);
    expect(wheelZoom(-10, 0, true)).toBeGreaterThan(wheelZoom(-10, 0, false));
    expect([keyStep('w'), keyStep('S'), keyStep('a'), keyStep('d'), keyStep('x')]).toEqual([{ zoom: 1.25 }, { zoom: 0.8 }, { pan: -0.1 }, { pan: 0.1 }, null]);
  });
});
