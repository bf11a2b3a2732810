// What a CPU profile says, as tables: by function (self and total), by source line, by
// instruction; for the CLI, the exports (pprof, speedscope, folded, .cpuprofile, which read
// the same stacks) and the inspector's profile view alike.
import type { CpuProfile, ProfileFrame } from './cpu_profile.js';

export interface FunctionRow {
  function: string;
  file: string;
  /** Counts where the function itself ran (innermost frame). */
  self: number;
  /** Counts where it ran or was on the stack, each stack once. */
  total: number;
  /** Of the profile's total count, 0..1. */
  selfShare: number;
  totalShare: number;
}

export interface LineCount {
  self: number;
  total: number;
}

/** One key per function: the same name in two files is two functions (static ones). */
export function functionKey(frame: Pick<ProfileFrame, 'function' | 'file'>): string {
  return `${frame.function}\u0000${frame.file}`;
}

export function totalCount(profile: CpuProfile): number {
  return profile.counts.reduce((sum, count) => sum + count, 0);
}

/** The frames of one stack, innermost first: each location's inlined functions, then the one they are inlined into. */
export function expandedStack(profile: CpuProfile, stack: number): ProfileFrame[] {
  return profile.stacks[stack]!.flatMap((location) => profile.locations[location]!.frames);
}

/** The code that ran at the top of a stack. */
function innermostFrame(profile: CpuProfile, stack: number): ProfileFrame {
  return profile.locations[profile.stacks[stack]![0]!]!.frames[0]!;
}

export function topFunctions(profile: CpuProfile): FunctionRow[] {
  const rows = new Map<string, FunctionRow>();
  const row = (frame: ProfileFrame): FunctionRow => {
    const key = functionKey(frame);
    let found = rows.get(key);
    if (!found) rows.set(key, (found = { function: frame.function, file: frame.file, self: 0, total: 0, selfShare: 0, totalShare: 0 }));
    return found;
  };
  profile.stacks.forEach((_, stack) => {
    const count = profile.counts[stack]!;
    row(innermostFrame(profile, stack)).self += count;
    // A recursion puts a function on the stack many times; its total counts the stack once.
    const seen = new Set<FunctionRow>(expandedStack(profile, stack).map(row));
    for (const found of seen) found.total += count;
  });
  const all = totalCount(profile);
  const result = [...rows.values()];
  for (const found of result) {
    found.selfShare = all ? found.self / all : 0;
    found.totalShare = all ? found.total / all : 0;
  }
  return result.sort((a, b) => b.self - a.self || b.total - a.total || compare(a.function, b.function) || compare(a.file, b.file));
}

/** File, then line: what ran on the line (self) and what ran under it, the line or a call on it (total). */
export function lineCounts(profile: CpuProfile): Map<string, Map<number, LineCount>> {
  const files = new Map<string, Map<number, LineCount>>();
  const cell = (frame: ProfileFrame): LineCount => {
    let lines = files.get(frame.file);
    if (!lines) files.set(frame.file, (lines = new Map()));
    let found = lines.get(frame.line);
    if (!found) lines.set(frame.line, (found = { self: 0, total: 0 }));
    return found;
  };
  profile.stacks.forEach((_, stack) => {
    const count = profile.counts[stack]!;
    const innermost = innermostFrame(profile, stack);
    if (innermost.line > 0) cell(innermost).self += count;
    const seen = new Set<LineCount>(
      expandedStack(profile, stack)
        .filter((frame) => frame.line > 0)
        .map(cell),
    );
    for (const found of seen) found.total += count;
  });
  return files;
}

/** Address of each instruction that ran, and how often (the innermost location of each stack). */
export function instructionCounts(profile: CpuProfile): Map<number, number> {
  const counts = new Map<number, number>();
  profile.stacks.forEach((locations, stack) => {
    const address = profile.locations[locations[0]!]!.address;
    counts.set(address, (counts.get(address) ?? 0) + profile.counts[stack]!);
  });
  return counts;
}

/** What one count is: an instruction run, or a timer sample. */
export function unitLabel(profile: CpuProfile): 'instructions' | 'samples' {
  return profile.unit;
}

/** A count as time, where it is one: a sample stands for the timer's period; an instruction for no set time. */
export function countNs(profile: CpuProfile, count: number): number | null {
  return profile.unit === 'samples' ? count * profile.periodNs : null;
}

/** "fib(20) — 100 calls, exact": what the exports call the profile. */
export function profileTitle(profile: CpuProfile): string {
  const calls = `${profile.calls} ${profile.calls === 1 ? 'call' : 'calls'}`;
  const kind = profile.kind === 'exact' ? 'exact' : `sampled at ${profile.rateHz ?? Math.round(1e9 / profile.periodNs)} Hz`;
  return `${profile.function}(${profile.args.join(', ')}) — ${calls}, ${kind}`;
}

/**
 * The first line the profile saw in each function (by functionKey): near where it
 * starts, for formats whose frames are functions with a line (speedscope, .cpuprofile).
 * The engine does not know where a function begins.
 */
export function firstLines(profile: CpuProfile): Map<string, number> {
  const lines = new Map<string, number>();
  for (const location of profile.locations) {
    for (const frame of location.frames) {
      if (frame.line <= 0) continue;
      const key = functionKey(frame);
      lines.set(key, Math.min(lines.get(key) ?? Infinity, frame.line));
    }
  }
  return lines;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
