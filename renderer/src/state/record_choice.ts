// Whether Debug records the call, to go back in it (time travel): on unless the user
// turned it off (kept in localStorage), and only where the guest's backend can record,
// the emulated one: on KVM the engine refuses a recording. No import of the store, which
// asks this module at every Debug.
import { create } from 'zustand';

import type { WireGuest } from '../../../native/common/protocol/messages';

export interface RecordChoice {
  /** The user's choice: record where the backend can. */
  wanted: boolean;
  setWanted(wanted: boolean): void;
}

const recordKey = 'microscope.record';

function savedChoice(): boolean {
  try {
    return localStorage.getItem(recordKey) !== 'off';
  } catch {
    return true;
  }
}

export const useRecordChoice = create<RecordChoice>((set) => ({
  wanted: savedChoice(),
  setWanted(wanted) {
    localStorage.setItem(recordKey, wanted ? 'on' : 'off');
    set({ wanted });
  },
}));

/** Why calls of this guest can't be recorded, or null when they can. */
export function whyNotRecordable(guest: WireGuest | null): string | null {
  if (!guest) return 'no guest is loaded';
  if (guest.backend !== 'emulated') return `recording needs the emulated backend; this guest runs on ${guest.backend}`;
  return null;
}

/** Whether a Debug of this guest's functions asks the engine to record the call. */
export function recordsCalls(guest: WireGuest | null): boolean {
  return useRecordChoice.getState().wanted && whyNotRecordable(guest) === null;
}
