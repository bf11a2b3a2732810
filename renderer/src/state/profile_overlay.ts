// A CPU profile's counts as the code overlay shows them (state/code_overlay.ts): the Source's
// lines as a heat gutter, the Disassembly's instructions in a count column.
import type { CpuProfile } from '../../../native/common/cpu_profile';
import { instructionCounts, type LineCount, lineCounts, totalCount } from '../panels/profile/profile_tables';

export interface ProfileOverlay {
  kind: 'profile';
  /** The CPU profile's id (cpuProfile.get) and what the view calls it. */
  profileId: number;
  label: string;
  unit: CpuProfile['unit'];
  /** The profile's whole count, for shares. */
  total: number;
  /** File (as the line table names it), then line. */
  lines: Map<string, Map<number, LineCount>>;
  /** Instruction address, then its count. */
  instructions: Map<number, number>;
}

export function profileOverlay(profileId: number, label: string, profile: CpuProfile): ProfileOverlay {
  return {
    kind: 'profile',
    profileId,
    label,
    unit: profile.unit,
    total: totalCount(profile),
    lines: lineCounts(profile),
    instructions: instructionCounts(profile),
  };
}

/** "ran 5,919 times (6.7%)", "12 samples (0.4%)": an instruction's count, as the Disassembly says it. */
export function describeRuns(overlay: ProfileOverlay, count: number): string {
  if (overlay.unit === 'samples') return describeCount(overlay, count);
  return `ran ${count.toLocaleString()} ${count === 1 ? 'time' : 'times'} (${((100 * count) / Math.max(1, overlay.total)).toFixed(1)}%)`;
}

/** "1,234 instructions (5.6%)": a line's count as the overlay's tooltips say it. */
export function describeCount(overlay: ProfileOverlay, count: number): string {
  const unit = overlay.unit === 'samples' ? (count === 1 ? 'sample' : 'samples') : count === 1 ? 'instruction' : 'instructions';
  return `${count.toLocaleString()} ${unit} (${((100 * count) / Math.max(1, overlay.total)).toFixed(1)}%)`;
}
