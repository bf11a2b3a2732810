// The Call trace's window on the call: the stretch of time the chart shows, and how
// zooming, panning and selecting move it. Times are ns from the trace's start; the chart's
// width in pixels is the caller's. Every window a function here returns lies inside the
// whole call and is at least minimumSpanNs long.

export interface TimeWindow {
  startNs: number;
  endNs: number;
}

/** The shortest stretch the chart zooms to: a couple of instructions across its width. */
export const minimumSpanNs = 20;

export const spanOf = (window: TimeWindow) => window.endNs - window.startNs;

export function wholeCall(durationNs: number): TimeWindow {
  return { startNs: 0, endNs: Math.max(1, durationNs) };
}

/** `window` sized to between minimumSpanNs and the whole call, and moved inside it. */
export function clampWindow(window: TimeWindow, whole: TimeWindow): TimeWindow {
  const span = Math.min(spanOf(whole), Math.max(minimumSpanNs, spanOf(window)));
  const startNs = Math.min(Math.max(window.startNs, whole.startNs), whole.endNs - span);
  return { startNs, endNs: startNs + span };
}

/** Zoomed in `factor` times (under 1 zooms out) about `anchorNs`, which stays where it is on screen unless the call's edge is reached. */
export function zoomAt(window: TimeWindow, factor: number, anchorNs: number, whole: TimeWindow): TimeWindow {
  const share = (anchorNs - window.startNs) / spanOf(window);
  const span = Math.min(spanOf(whole), Math.max(minimumSpanNs, spanOf(window) / factor));
  const startNs = anchorNs - share * span;
  return clampWindow({ startNs, endNs: startNs + span }, whole);
}

export function panBy(window: TimeWindow, deltaNs: number, whole: TimeWindow): TimeWindow {
  return clampWindow({ startNs: window.startNs + deltaNs, endNs: window.endNs + deltaNs }, whole);
}

/** The window on the time between `aNs` and `bNs` (either way round) that is in the call; one too short grows about its middle. */
export function zoomToRange(aNs: number, bNs: number, whole: TimeWindow): TimeWindow {
  const startNs = Math.max(whole.startNs, Math.min(aNs, bNs));
  const endNs = Math.min(whole.endNs, Math.max(aNs, bNs));
  const middle = (startNs + endNs) / 2;
  const half = Math.max(minimumSpanNs, endNs - startNs) / 2;
  return clampWindow({ startNs: middle - half, endNs: middle + half }, whole);
}

/** The window panned, not zoomed, to show an event: as it was if the event is already in it, else centred on it (or on its start, when it is wider). */
export function reveal(window: TimeWindow, event: { startNs: number; durationNs: number }, whole: TimeWindow): TimeWindow {
  const endNs = event.startNs + event.durationNs;
  if (event.startNs >= window.startNs && endNs <= window.endNs) return window;
  const span = spanOf(window);
  const startNs = event.durationNs <= span * 0.9 ? (event.startNs + endNs) / 2 - span / 2 : event.startNs - span * 0.05;
  return clampWindow({ startNs, endNs: startNs + span }, whole);
}

export function xToNs(window: TimeWindow, width: number, x: number): number {
  return window.startNs + (x / Math.max(1, width)) * spanOf(window);
}

export function nsToX(window: TimeWindow, width: number, ns: number): number {
  return ((ns - window.startNs) / spanOf(window)) * width;
}

/** How many times the whole call the window magnifies it. */
export function magnification(window: TimeWindow, whole: TimeWindow): number {
  return spanOf(whole) / spanOf(window);
}

/** A wheel event's zoom: up (negative delta) zooms in. A pinch arrives as ctrl+wheel with small deltas, so it counts for more. */
export function wheelZoom(deltaY: number, deltaMode: number, pinch: boolean): number {
  const pixels = deltaY * (deltaMode === 1 ? 16 : deltaMode === 2 ? 400 : 1);
  return Math.exp(-pixels * (pinch ? 0.01 : 0.003));
}

/** Perfetto's keys: W and S zoom in and out, A and D pan left and right (a tenth of the window). */
export function keyStep(key: string): { zoom: number } | { pan: number } | null {
  switch (key.toLowerCase()) {
    case 'w':
      return { zoom: 1.25 };
    case 's':
      return { zoom: 1 / 1.25 };
    case 'a':
      return { pan: -0.1 };
    case 'd':
      return { pan: 0.1 };
    default:
      return null;
  }
}
