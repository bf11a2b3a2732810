// The Snapshots panel's state: the snapshots the engine holds, the two chosen to compare,
// and the last comparison. Requests go through the inspector store's engine client.
import { create } from 'zustand';

import type { WireComparison, WireSnapshot } from '../../../native/common/protocol/messages';
import type { EngineClient } from '../api/engine_client';
import { useInspector } from './store';

export interface SnapshotsState {
  snapshots: WireSnapshot[];
  /** Chosen for comparing, in the order chosen (at most two). */
  chosen: number[];
  comparison: WireComparison | null;

  refresh(): Promise<void>;
  take(label: string): Promise<void>;
  restore(id: number): Promise<void>;
  drop(id: number): Promise<void>;
  choose(id: number, chosen: boolean): void;
  /** The chosen two against each other, or the one chosen against guest memory now. */
  compare(): Promise<void>;
}

function attempt<T>(work: (engine: EngineClient) => Promise<T>): Promise<T | undefined> {
  return useInspector.getState().attempt(work);
}

export const useSnapshots = create<SnapshotsState>((set, get) => ({
  snapshots: [],
  chosen: [],
  comparison: null,

  async refresh() {
    const snapshots = await attempt((engine) => engine.request('snapshot.list', {}));
    if (snapshots) set({ snapshots, chosen: get().chosen.filter((id) => snapshots.some((s) => s.id === id)) });
  },

  async take(label) {
    const taken = await attempt((engine) => engine.request('snapshot.take', label ? { label } : {}));
    if (taken) set({ snapshots: [...get().snapshots, taken] });
  },

  async restore(id) {
    await attempt((engine) => engine.request('snapshot.restore', { id }));
    // Memory and registers are the snapshot's now: the panels read them again.
    useInspector.setState({ stop: null, previousRegisters: null });
    useInspector.getState().memoryChanged();
  },

  async drop(id) {
    await attempt((engine) => engine.request('snapshot.drop', { id }));
    await get().refresh();
  },

  choose(id, chosen) {
    const others = get().chosen.filter((c) => c !== id);
    set({ chosen: chosen ? [...others, id].slice(-2) : others });
  },

  async compare() {
    const [a, b] = get().chosen;
    if (a === undefined) return;
    const comparison = await attempt((engine) => engine.request('snapshot.compare', b === undefined ? { a } : { a, b }));
    if (comparison) set({ comparison });
  },
}));
