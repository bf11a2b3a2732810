// The code overlay: counts laid over the code views, the Source's lines (a gutter) and the
// Disassembly's instructions (a column), until it is hidden. One at a time: a CPU profile's
// counts (profile_overlay.ts) or a coverage run's lines (coverage_overlay.ts); showing one
// hides the other. The code views read only this, not the profiles or the runs.
import { create } from 'zustand';

import type { CpuProfile } from '../../../native/common/cpu_profile';
import type { WireCoverage, WireInstruction } from '../../../native/common/protocol/messages';
import { type CoverageOverlay, coverageOverlay } from './coverage_overlay';
import { type ProfileOverlay, profileOverlay } from './profile_overlay';
import { useInspector } from './store';

export type CodeOverlay = ProfileOverlay | CoverageOverlay;

interface CodeOverlayState {
  overlay: CodeOverlay | null;
  showProfile(profileId: number, label: string, profile: CpuProfile): void;
  /** `calls`: the argument lists of the run, to say which call failed. */
  showCoverage(coverage: WireCoverage, calls?: readonly string[][]): void;
  clear(): void;
}

export const useCodeOverlay = create<CodeOverlayState>((set, get) => ({
  overlay: null,

  showProfile(profileId, label, profile) {
    const shown = get().overlay;
    // Its counts are made once: a profile's tables are large.
    if (shown?.kind === 'profile' && shown.profileId === profileId) return;
    set({ overlay: profileOverlay(profileId, label, profile) });
  },

  showCoverage(coverage, calls) {
    set({ overlay: coverageOverlay(coverage, calls) });
  },

  clear() {
    set({ overlay: null });
  },
}));

// One guest's counts mean nothing over another's code; and a restarted engine has forgotten
// the coverage that Export lcov would save.
useInspector.subscribe((state, previous) => {
  if (state.guest !== previous.guest) useCodeOverlay.getState().clear();
});

/** What the engine can disassemble by name: a symbol, not "[engine code]". */
const symbolName = /^[A-Za-z_.$][\w.$]*$/;

/** Puts function `fn`'s own instructions in the Disassembly, for an overlay of it; returns them. */
export async function showFunctionCode(fn: string): Promise<WireInstruction[]> {
  if (!symbolName.test(fn)) return [];
  const code = await useInspector.getState().attempt((engine) => engine.request('code.disassemble', { location: fn, count: 1000 }));
  if (!code) return [];
  // Only the function's own instructions: the count reaches on into the next one.
  const own = code.filter((i) => i.symbol === fn || i.symbol.startsWith(`${fn}+`));
  useInspector.setState({ disassembly: own });
  return own;
}
