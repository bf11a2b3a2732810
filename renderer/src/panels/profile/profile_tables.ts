// What a CPU profile says, as the profile view's tables: the same tables the CLI and the
// exports read (native/common/cpu_profile_tables.ts), and how the view words a profile and
// a share.
import type { CpuProfile } from '../../../../native/common/cpu_profile';

export {
  countNs,
  expandedStack,
  functionKey,
  instructionCounts,
  lineCounts,
  topFunctions,
  totalCount,
  type FunctionRow,
  type LineCount,
} from '../../../../native/common/cpu_profile_tables';

/** "fib(15) exact · warm · emulated": what the view calls a profile, as the engine labels it, a long argument cut short. */
export function profileLabel(profile: CpuProfile): string {
  const kind = profile.kind === 'exact' ? 'exact' : `sampled ${profile.rateHz ?? Math.round(1e9 / Math.max(1, profile.periodNs))} Hz`;
  const args = profile.args.map((arg) => (arg.length > 24 ? `${arg.slice(0, 20)}…` : arg));
  return `${profile.function}(${args.join(', ')}) ${kind} · ${profile.mode} · ${profile.backend}`;
}

/** "12.3%": a share (0..1) as the tables show it. */
export function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** "+1.2%", "−0.4%", "0.0%": a change of share. */
export function signedPercent(delta: number): string {
  const text = percent(Math.abs(delta));
  return text === '0.0%' ? text : `${delta > 0 ? '+' : '−'}${text}`;
}
