// Whether Debug records the call, to go back in it (time travel): the user's choice for
// each backend, kept in localStorage. On by default on the emulated backend, where a
// recording costs little; off by default on KVM, where a recorded call runs there to its
// end first and is then replayed on the emulator, so a call that doesn't end can't be
// recorded. No import of the store, which asks this module at every Debug.
import { create } from 'zustand';

import type { WireGuest } from '../../../native/common/protocol/messages';

export interface RecordChoice {
  /** The user's choice, by backend ("emulated", "kvm"). */
  wanted: Record<string, boolean>;
  setWanted(backend: string, wanted: boolean): void;
}

function recordKey(backend: string): string {
  return backend === 'emulated' ? 'microscope.record' : `microscope.record.${backend}`;
}

function savedChoice(backend: string): boolean {
  try {
    const saved = localStorage.getItem(recordKey(backend));
    return saved === null ? backend === 'emulated' : saved === 'on';
  } catch {
    return backend === 'emulated';
  }
}

export const useRecordChoice = create<RecordChoice>((set, get) => ({
  wanted: { emulated: savedChoice('emulated'), kvm: savedChoice('kvm') },
  setWanted(backend, wanted) {
    localStorage.setItem(recordKey(backend), wanted ? 'on' : 'off');
    set({ wanted: { ...get().wanted, [backend]: wanted } });
  },
}));

/** What recording a call of this guest does, for the toggle's tooltip; null with no guest. */
export function howItRecords(guest: WireGuest | null): string | null {
  if (!guest) return null;
  if (guest.backend === 'emulated') return 'Record each debugged call (from the next Debug on), to step back in it and go to any point of it';
  return (
    `Record each debugged call (from the next Debug on), to step back in it: on ${guest.backend} the call runs ` +
    'to its end first, then the emulator replays it, checked against how it ended (a call that never ends, or reads rdtsc or rdrand, is not recorded)'
  );
}

/** Whether a Debug of this guest's functions asks the engine to record the call. */
export function recordsCalls(guest: WireGuest | null): boolean {
  return guest !== null && (useRecordChoice.getState().wanted[guest.backend] ?? false);
}
