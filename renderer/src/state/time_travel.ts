// Time travel in a recorded call: what its recording holds (read again after every stop),
// the breakpoint and watchpoint hits this window saw (merged with the engine's marks, so a
// hit shows at once, before the recording is read again), going back (the reverse steps) or to a position (one at a time, the
// latest wanted next: a drag on the timeline asks faster than the engine replays), and the
// answer to "where was this written?". The stops themselves are the store's: every panel
// shows them as it shows any stop.
import { create } from 'zustand';

import type { Params, WireLastWrite, WireRecording, WireStop } from '../../../native/common/protocol/messages';
import type { EngineClient } from '../api/engine_client';
import { useInspector } from './store';

/** debug.reverse's ways: gdb's reverse-stepi, -nexti, -next, -step, -finish and -continue. */
export type ReverseHow = Params<'debug.reverse'>['how'];

/** A breakpoint or watchpoint stop seen at a position of the call. */
export interface SeenHit {
  kind: 'breakpoint' | 'watchpoint';
  position: number;
  id?: number;
}

/** What "where was this written?" asks of: a range of memory, a variable (in a frame) or a register. */
export type WrittenThing = Params<'debug.lastWrite'>;

/** The question and, once the engine answered, its answer or why it couldn't. */
export interface LastWriteQuestion {
  /** What it is in the user's words: "last_n", "rax", "0xffffb8 (1 byte)". */
  label: string;
  /** Where the question was asked, to show the answer beside it (viewport pixels). */
  anchor: { x: number; y: number };
  answer?: WireLastWrite;
  error?: string;
}

export interface TimeTravelState {
  /** The debugged call's recording, or null (not recorded, or no call). */
  recording: WireRecording | null;
  hits: SeenHit[];
  lastWrite: LastWriteQuestion | null;

  /** Reads the recording again. */
  refresh(): Promise<void>;
  reverse(how: ReverseHow): Promise<void>;
  /** To `position`; while one is on its way, the latest asked goes next. */
  goTo(position: number): Promise<void>;
  askLastWrite(thing: WrittenThing, label: string, anchor: { x: number; y: number }): Promise<void>;
  closeLastWrite(): void;
}

const engine = (): EngineClient => {
  const client = useInspector.getState().client;
  if (!client) throw new Error('not connected to the engine');
  return client;
};

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

// The goTo under way, and the position wanted after it (a drag's latest).
let travelling = false;
let wanted: number | null = null;
// Counts the reads of the recording: one answered after a later one was asked is old.
let reads = 0;

export const useTimeTravel = create<TimeTravelState>((set, get) => ({
  recording: null,
  hits: [],
  lastWrite: null,

  async refresh() {
    const client = useInspector.getState().client;
    if (!client) return;
    const read = ++reads;
    let recording: WireRecording | null;
    try {
      recording = await client.request('debug.recording', {});
    } catch {
      recording = null; // no guest loaded, or the engine restarting: nothing to go back in
    }
    if (read !== reads) return;
    // A restarted call is recorded anew: hits past its end are of the run before.
    set({ recording, hits: recording ? get().hits.filter((h) => h.position <= recording.end) : [] });
  },

  async reverse(how) {
    await useInspector.getState().travel((client) => client.request('debug.reverse', { how }));
  },

  async goTo(position) {
    wanted = position;
    if (travelling) return;
    travelling = true;
    try {
      while (wanted !== null) {
        const next = wanted;
        wanted = null;
        if (next === useInspector.getState().stop?.position) continue;
        await useInspector.getState().travel((client) => client.request('debug.goTo', { position: next }));
      }
    } finally {
      travelling = false;
    }
  },

  async askLastWrite(thing, label, anchor) {
    const asked: LastWriteQuestion = { label, anchor };
    set({ lastWrite: asked });
    let answered: Partial<LastWriteQuestion>;
    try {
      answered = { answer: await engine().request('debug.lastWrite', thing) };
    } catch (error) {
      answered = { error: message(error) };
    }
    // Only if it is still the question on screen.
    if (get().lastWrite === asked) set({ lastWrite: { ...asked, ...answered } });
  },

  closeLastWrite() {
    set({ lastWrite: null });
  },
}));

/** The hit a stop is, if it is one at a known position. */
export function hitOf(stop: WireStop): SeenHit | null {
  if (stop.position === undefined) return null;
  if (stop.reason === 'breakpoint') return { kind: 'breakpoint', position: stop.position, ...(stop.breakpoint ? { id: stop.breakpoint } : {}) };
  if (stop.reason === 'watchpoint') return { kind: 'watchpoint', position: stop.position, ...(stop.watch ? { id: stop.watch.watchpoint } : {}) };
  return null;
}

/** Keeps each stop's hit and reads the recording after every stop; no stop (a new call, Stop, a new guest): forgets them. */
export function followRecording(): () => void {
  return useInspector.subscribe((state, previous) => {
    if (state.stop === previous.stop) return;
    const travel = useTimeTravel.getState();
    if (!state.stop) {
      reads++; // a read under way is of the call before
      useTimeTravel.setState({ recording: null, hits: [], lastWrite: null });
      return;
    }
    if (state.stopCount === previous.stopCount) return; // the same stop, a register changed
    const hit = hitOf(state.stop);
    if (hit && !travel.hits.some((h) => h.kind === hit.kind && h.position === hit.position)) useTimeTravel.setState({ hits: [...travel.hits, hit] });
    useTimeTravel.setState({ lastWrite: null });
    void travel.refresh();
  });
}

/** Why the call can't go back now, or null when it can: recorded, and paused (or ended, its recording kept). */
export function whyNoGoingBack(recording: WireRecording | null, running: boolean, stop: WireStop | null): string | null {
  if (running) return 'the call is running';
  if (!stop) return 'debug a call with Record (time travel) on to go back in it';
  if (!recording) return 'this call is not recorded: debug it with Record (time travel) on';
  return null;
}
