// The Call trace panel's state: the last recorded trace of a call, the event the user
// picked in it, and the export of the whole trace as Chrome Trace Event JSON.
import { create } from 'zustand';

import type { WireTrace, WireTraceEvent } from '../../../native/common/protocol/messages';
import type { EngineClient } from '../api/engine_client';
import { download } from './download';
import { useInspector } from './store';

export interface TraceState {
  trace: WireTrace | null;
  recording: boolean;
  picked: WireTraceEvent | null;

  record(fn: string, args: string[]): Promise<void>;
  pick(event: WireTraceEvent | null): void;
  /** The whole trace as a file for Perfetto or chrome://tracing. */
  exportChrome(): Promise<void>;
}

function attempt<T>(work: (engine: EngineClient) => Promise<T>): Promise<T | undefined> {
  return useInspector.getState().attempt(work);
}

export const useTrace = create<TraceState>((set) => ({
  trace: null,
  recording: false,
  picked: null,

  async record(fn, args) {
    set({ recording: true });
    useInspector.setState({ running: true, bottomTab: 'Call trace' });
    const trace = await attempt((engine) => engine.request('trace.record', { function: fn, args }));
    useInspector.setState({ running: false });
    useInspector.getState().memoryChanged();
    set({ recording: false, ...(trace ? { trace, picked: null } : {}) });
  },

  pick(event) {
    set({ picked: event });
  },

  async exportChrome() {
    const file = await attempt((engine) => engine.request('trace.chrome', {}));
    if (file) download(file.name, file.json);
  },
}));
