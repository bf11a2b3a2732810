// The Call trace panel's state: the last recorded trace of a call, the window of time the
// chart shows (zoomed and panned), the event the user picked, the search and its current
// match, and the export of the whole trace as Chrome Trace Event JSON.
import { create } from 'zustand';

import type { WireTrace } from '../../../native/common/protocol/messages';
import type { EngineClient } from '../api/engine_client';
import { searchEvents, stepMatch } from '../panels/trace/trace_search';
import { clampWindow, panBy, reveal, type TimeWindow, wholeCall, zoomAt, zoomToRange } from '../panels/trace/trace_view';
import { download } from './download';
import { useInspector } from './store';

export interface TraceState {
  trace: WireTrace | null;
  recording: boolean;
  /** The picked event: an index into trace.events. */
  picked: number | null;
  /** What the chart shows, ns from the trace's start. */
  view: TimeWindow;
  query: string;
  /** The events matching the query, earliest first, and which of them is current. */
  matches: number[];
  match: number | null;

  record(fn: string, args: string[]): Promise<void>;
  pick(index: number | null): void;
  /** Zoomed `factor` times (under 1: out) about `anchorNs`, which stays put on screen. */
  zoom(factor: number, anchorNs: number): void;
  pan(deltaNs: number): void;
  show(window: TimeWindow): void;
  zoomToRange(aNs: number, bNs: number): void;
  /** Zoomed to event `index`, with a little room either side. */
  focus(index: number): void;
  /** Back to the whole call. */
  reset(): void;
  search(query: string): void;
  /** The next (1) or previous (−1) match: picked, and panned into view. */
  step(direction: 1 | -1): void;
  /** The whole trace as a file for Perfetto or chrome://tracing. */
  exportChrome(): Promise<void>;
}

function attempt<T>(work: (engine: EngineClient) => Promise<T>): Promise<T | undefined> {
  return useInspector.getState().attempt(work);
}

export const useTrace = create<TraceState>((set, get) => {
  const whole = () => wholeCall(get().trace?.durationNs ?? 1);
  return {
    trace: null,
    recording: false,
    picked: null,
    view: wholeCall(1),
    query: '',
    matches: [],
    match: null,

    async record(fn, args) {
      set({ recording: true });
      useInspector.setState({ running: true, bottomTab: 'Call trace' });
      const trace = await attempt((engine) => engine.request('trace.record', { function: fn, args }));
      useInspector.setState({ running: false });
      useInspector.getState().memoryChanged();
      set({ recording: false });
      if (trace) set({ trace, picked: null, view: wholeCall(trace.durationNs), matches: searchEvents(trace.events, get().query), match: null });
    },

    pick(index) {
      set({ picked: index });
    },

    zoom(factor, anchorNs) {
      set({ view: zoomAt(get().view, factor, anchorNs, whole()) });
    },

    pan(deltaNs) {
      set({ view: panBy(get().view, deltaNs, whole()) });
    },

    show(window) {
      set({ view: clampWindow(window, whole()) });
    },

    zoomToRange(aNs, bNs) {
      set({ view: zoomToRange(aNs, bNs, whole()) });
    },

    focus(index) {
      const event = get().trace?.events[index];
      if (event) set({ view: zoomToRange(event.startNs - event.durationNs * 0.05, event.startNs + event.durationNs * 1.05, whole()) });
    },

    reset() {
      set({ view: whole() });
    },

    search(query) {
      set({ query, matches: searchEvents(get().trace?.events ?? [], query), match: null });
    },

    step(direction) {
      const { trace, matches, match, view } = get();
      const next = stepMatch(match, matches.length, direction);
      if (!trace || next === null) return;
      const picked = matches[next]!;
      set({ match: next, picked, view: reveal(view, trace.events[picked]!, whole()) });
    },

    async exportChrome() {
      const file = await attempt((engine) => engine.request('trace.chrome', {}));
      if (file) download(file.name, file.json);
    },
  };
});
