// Where each event of a call trace goes in the flame/timeline view: x and width from its
// start and duration, the row from its depth. Bars too narrow to see are left out (and
// counted), so a trace of millions of events draws only what a screen can show.
import type { WireTraceEvent } from '../../../native/common/protocol/messages';

export interface Bar {
  event: WireTraceEvent;
  index: number;
  x: number;
  width: number;
  row: number;
}

export interface FlameLayout {
  bars: Bar[];
  /** Events too small to draw at this zoom, or beyond the most drawn. */
  hidden: number;
  rows: number;
}

/** Narrower than this, a function or host call isn't drawn. */
const minimumWidth = 0.5;
/** The most bars drawn at once. */
export const maxBars = 5000;

export function layoutFlame(events: WireTraceEvent[], durationNs: number, width: number): FlameLayout {
  const scale = width / Math.max(1, durationNs);
  const bars: Bar[] = [];
  let hidden = 0;
  let rows = 1;
  events.forEach((event, index) => {
    const w = event.kind === 'exit' ? 1 : event.durationNs * scale;
    if (w < minimumWidth || bars.length >= maxBars) {
      hidden++;
      return;
    }
    bars.push({ event, index, x: event.startNs * scale, width: Math.max(w, 1), row: event.depth });
    rows = Math.max(rows, event.depth + 1);
  });
  return { bars, hidden, rows };
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
