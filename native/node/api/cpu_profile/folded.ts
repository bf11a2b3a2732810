// A CPU profile as folded stacks (Brendan Gregg's flamegraph.pl input, also read by
// speedscope and inferno): "root;caller;leaf count", one line per stack of functions.
import { expandedStack } from '../../../common/cpu_profile_tables.js';
import type { CpuProfile } from './types.js';

export function toFolded(profile: CpuProfile): string {
  const counts = new Map<string, number>();
  profile.stacks.forEach((_, stack) => {
    const line = expandedStack(profile, stack)
      .reverse()
      .map((frame) => safeName(frame.function))
      .join(';');
    counts.set(line, (counts.get(line) ?? 0) + profile.counts[stack]!);
  });
  const lines = [...counts].map(([stack, count]) => `${stack} ${count}`).sort();
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** ';' separates frames and a line ends a stack; the count is after the last space, so spaces may stay. */
function safeName(name: string): string {
  return name.replace(/[;\r\n]/g, '_');
}
