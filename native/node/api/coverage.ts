// Which lines and instructions a set of calls ran (engine side:
// native/engine/core/profile/coverage.h), and its export as an lcov tracefile, which lcov's
// genhtml turns into a report. Exact on the emulated backend (every instruction counted);
// on KVM by one-shot breakpoints, so a line is hit (1) or not (0).
import type { MicroscopeError } from './errors.js';

export interface CoverageFunction {
  name: string;
  /** Of its first instruction; 0 where unknown. */
  line: number;
  /** Times entered (exact), or 1 when entered (KVM). */
  count: number;
}

export interface CoverageFile {
  /** As the compiler recorded it, usually absolute. */
  path: string;
  /** Every line with code, ascending: [line, count]; count = times its statements began (exact), or 1 when hit (KVM). */
  lines: [number, number][];
  functions: CoverageFunction[];
}

export interface Coverage {
  /** Counts (the emulated backend), or hits (KVM). */
  exact: boolean;
  calls: number;
  files: CoverageFile[];
  /** [address, count]: exact, every instruction run; KVM, the statement starts and function entries hit. */
  instructions: [number, number][];
  /** The calls that didn't return (the first hundred), by their place in the list. */
  failures: { call: number; error: MicroscopeError }[];
}

/** The lcov tracefile (geninfo(1)'s format): one record per source file. */
export function toLcov(coverage: Coverage, testName = ''): string {
  const out: string[] = [];
  for (const file of coverage.files) {
    out.push(`TN:${testName.replace(/[^\w]/g, '_')}`, `SF:${file.path}`);
    // lcov keys functions by name within a file: a name twice (static functions of
    // different headers inlined here) is counted once.
    const functions = new Map<string, CoverageFunction>();
    for (const fn of file.functions) {
      const seen = functions.get(fn.name);
      functions.set(fn.name, seen ? { ...seen, count: seen.count + fn.count } : fn);
    }
    for (const fn of functions.values()) out.push(`FN:${Math.max(1, fn.line)},${fn.name}`);
    for (const fn of functions.values()) out.push(`FNDA:${fn.count},${fn.name}`);
    out.push(`FNF:${functions.size}`, `FNH:${[...functions.values()].filter((fn) => fn.count > 0).length}`);
    for (const [line, count] of file.lines) out.push(`DA:${line},${count}`);
    out.push(`LF:${file.lines.length}`, `LH:${file.lines.filter(([, count]) => count > 0).length}`, 'end_of_record');
  }
  return out.join('\n') + '\n';
}

/** Lines hit and lines with code, over every file (or those `keep` accepts). */
export function coverageSummary(coverage: Coverage, keep: (path: string) => boolean = () => true): { hit: number; total: number } {
  let hit = 0;
  let total = 0;
  for (const file of coverage.files.filter((f) => keep(f.path))) {
    total += file.lines.length;
    hit += file.lines.filter(([, count]) => count > 0).length;
  }
  return { hit, total };
}
