// Where each event of a call trace goes in the flame chart: its row from its depth, x and
// width from its start and duration in the window shown. Only what the window shows is
// laid out: each row's events are indexed by time once per trace, so a window's are found
// by bisection, whatever the trace's size; bars too narrow to see are left out (and
// counted). Also what a bar says, and each function's self time.
import type { WireTraceEvent } from '../../../../native/common/protocol/messages';
import { formatNs } from '../durations';
import type { TimeWindow } from './trace_view';

export interface TraceRow {
  /** The row's events (indices into the trace's), by start time. */
  order: Int32Array;
  starts: Float64Array;
  /** The latest end among the row's events up to each: bisected for a window's first event, so overlapping events can't hide one. */
  reach: Float64Array;
}

/** A trace's events row by row (depth by depth), each row in time order. */
export interface TraceIndex {
  rows: TraceRow[];
}

export function indexTrace(events: WireTraceEvent[]): TraceIndex {
  const byDepth: number[][] = [];
  events.forEach((event, index) => (byDepth[event.depth] ??= []).push(index));
  const rows = Array.from(byDepth, (indices = []) => {
    indices.sort((a, b) => events[a]!.startNs - events[b]!.startNs);
    const order = Int32Array.from(indices);
    const starts = Float64Array.from(indices, (i) => events[i]!.startNs);
    const reach = new Float64Array(indices.length);
    let latest = -Infinity;
    indices.forEach((i, at) => (reach[at] = latest = Math.max(latest, events[i]!.startNs + events[i]!.durationNs)));
    return { order, starts, reach };
  });
  return { rows };
}

/** The first position in `sorted` (ascending) whose value is at least `value`. */
function firstAtLeast(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

export interface Bar {
  event: WireTraceEvent;
  index: number;
  /** Pixels from the chart's left edge, clipped to the chart: a call begun before the window starts at 0. */
  x: number;
  width: number;
  row: number;
  label: string;
}

/** Calls side by side too narrow to draw one by one, drawn as one shaded bar: zoom in to tell them apart. */
export interface DenseRun {
  /** The first of them, for the colour. */
  event: WireTraceEvent;
  x: number;
  width: number;
  row: number;
  count: number;
  startNs: number;
  endNs: number;
}

export interface FlameLayout {
  bars: Bar[];
  dense: DenseRun[];
  /** Events in the window not drawn as bars of their own: in a dense run, or beyond the most drawn. */
  hidden: number;
  rows: number;
}

/** Narrower than this, a call joins its neighbours in a dense run. */
const denseWidth = 2;
/** The most bars and runs drawn at once. */
export const maxBars = 5000;

/**
 * The bars of the events `window` shows across `width` pixels, row by row. `keep` (the
 * picked event, the current search match) is drawn as itself however narrow.
 */
export function layoutFlame(events: WireTraceEvent[], index: TraceIndex, window: TimeWindow, width: number, keep: number | null = null): FlameLayout {
  const scale = width / Math.max(1e-9, window.endNs - window.startNs);
  const bars: Bar[] = [];
  const dense: DenseRun[] = [];
  let hidden = 0;
  const full = () => bars.length + dense.length >= maxBars;
  const bar = (i: number, row: number, x: number, barWidth: number) => {
    const event = events[i]!;
    bars.push({ event, index: i, x, width: barWidth, row, label: barLabel(event, barWidth) });
  };
  index.rows.forEach((row, depth) => {
    let run: (DenseRun & { first: number }) | null = null;
    const flush = () => {
      if (run && run.count === 1) bar(run.first, depth, run.x, Math.max(1, run.width));
      else if (run) {
        const { first: _, ...drawn } = run;
        dense.push({ ...drawn, width: Math.max(1, run.width) });
        hidden += run.count;
      }
      run = null;
    };
    for (let at = firstAtLeast(row.reach, window.startNs); at < row.order.length && row.starts[at]! <= window.endNs; at++) {
      const i = row.order[at]!;
      const event = events[i]!;
      const endNs = event.startNs + event.durationNs;
      if (endNs < window.startNs) continue;
      if (full()) {
        hidden++;
        continue;
      }
      const x = Math.max(0, (event.startNs - window.startNs) * scale);
      const right = Math.min(width, (endNs - window.startNs) * scale);
      if (event.kind !== 'exit' && right - x < denseWidth && i !== keep) {
        if (run && x <= run.x + run.width + 1) {
          run.width = right - run.x;
          run.count++;
          run.endNs = endNs;
        } else {
          flush();
          run = { event, first: i, x, width: right - x, row: depth, count: 1, startNs: event.startNs, endNs };
        }
        continue;
      }
      flush();
      bar(i, depth, x, event.kind === 'exit' ? 2 : Math.max(right - x, 2));
    }
    flush();
  });
  return { bars, dense, hidden, rows: Math.max(1, index.rows.length) };
}

/** A function with its arguments when the engine knows them ("fib(n=20)"), else its name. */
export function eventName(event: WireTraceEvent): string {
  return event.args !== undefined ? `${event.name}(${event.args})` : event.name;
}

/** Roughly the width of a character of the bars' 11px label, and the bar's padding. */
const characterWidth = 6.2;
const labelPadding = 6;

/** What a bar `width` pixels wide says: its name and duration, or as much of that as fits; a name cut short ends in an ellipsis (CSS's). */
export function barLabel(event: WireTraceEvent, width: number): string {
  if (event.kind === 'exit') return '';
  return fitLabel(eventName(event), event.name, event.durationNs, width);
}

function fitLabel(full: string, short: string, durationNs: number, width: number): string {
  for (const text of [`${full} ${formatNs(durationNs)}`, full]) if (text.length * characterWidth + labelPadding <= width) return text;
  return width >= 4 * characterWidth ? short : '';
}

export interface Phase {
  name: string;
  startNs: number;
  durationNs: number;
}

export interface PhaseBar {
  phase: Phase;
  x: number;
  width: number;
  label: string;
}

/** The engine's lead-in (restoring the snapshot, entering the guest) in `window`, as bars of their own row. */
export function layoutPhases(phases: Phase[], window: TimeWindow, width: number): PhaseBar[] {
  const scale = width / Math.max(1e-9, window.endNs - window.startNs);
  return phases
    .filter((phase) => phase.startNs <= window.endNs && phase.startNs + phase.durationNs >= window.startNs)
    .map((phase) => {
      const x = Math.max(0, (phase.startNs - window.startNs) * scale);
      const barWidth = Math.max(1, Math.min(width, (phase.startNs + phase.durationNs - window.startNs) * scale) - x);
      return { phase, x, width: barWidth, label: fitLabel(phase.name, phase.name, phase.durationNs, barWidth) };
    });
}

/** The time event `i` spent in itself, not in the calls it made. */
export function selfTime(events: WireTraceEvent[], index: TraceIndex, i: number): number {
  const event = events[i]!;
  const children = index.rows[event.depth + 1];
  if (!children) return event.durationNs;
  const endNs = event.startNs + event.durationNs;
  let inCalls = 0;
  for (let at = firstAtLeast(children.starts, event.startNs); at < children.order.length && children.starts[at]! < endNs; at++) {
    inCalls += events[children.order[at]!]!.durationNs;
  }
  return Math.max(0, event.durationNs - inCalls);
}

export interface FunctionSummary {
  name: string;
  kind: WireTraceEvent['kind'];
  calls: number;
  /** Time in the function itself, not in what it called (recursion counts once). */
  selfNs: number;
}

/** Each function and host call with its count and self time, the most time first. */
export function summarize(events: WireTraceEvent[]): FunctionSummary[] {
  const timed = events.filter((e) => e.kind !== 'exit').sort((a, b) => a.startNs - b.startNs || a.depth - b.depth);
  const self = new Map<WireTraceEvent, number>(timed.map((e) => [e, e.durationNs]));
  const open: WireTraceEvent[] = [];
  for (const event of timed) {
    while (open.length && open[open.length - 1]!.depth >= event.depth) open.pop();
    const parent = open[open.length - 1];
    if (parent) self.set(parent, self.get(parent)! - event.durationNs);
    open.push(event);
  }
  const byName = new Map<string, FunctionSummary>();
  for (const event of timed) {
    const key = `${event.kind}:${event.name}`;
    const summary = byName.get(key) ?? { name: event.name, kind: event.kind, calls: 0, selfNs: 0 };
    summary.calls++;
    summary.selfNs += Math.max(0, self.get(event)!);
    byName.set(key, summary);
  }
  return [...byName.values()].sort((a, b) => b.selfNs - a.selfNs);
}
