// Coverage as the code overlay shows it (state/code_overlay.ts): each line with code
// executed or not, a line without code left plain, as VS Code's coverage gutter and genhtml
// show them. The emulated backend counts every line and instruction; KVM only knows which
// statement starts and function entries were hit, once each.
import type { WireCoverage } from '../../../native/common/protocol/messages';

export type LineState = 'executed' | 'not-executed' | 'no-code';

export interface CoverageFailure {
  /** Its place in the list of calls, from 0. */
  call: number;
  /** Its arguments, when the list is known. */
  args: string[] | null;
  kind: string;
  message: string;
}

export interface CoverageOverlay {
  kind: 'coverage';
  /** "fib(5)", "fib × 3 calls": as the engine names the run. */
  label: string;
  backend: string;
  /** Counts (emulated); false: hit or not (KVM). */
  exact: boolean;
  calls: number;
  /** File (as the line tables name it), then each line with code and its count (KVM: 1 or 0). */
  lines: Map<string, Map<number, number>>;
  /** Instruction address, then its count: every instruction run (exact), the statement starts hit (KVM). */
  instructions: Map<number, number>;
  failures: CoverageFailure[];
}

/** `calls`: the argument lists the run was given, to say which call failed. */
export function coverageOverlay(coverage: WireCoverage, calls?: readonly string[][]): CoverageOverlay {
  return {
    kind: 'coverage',
    label: coverage.call,
    backend: coverage.backend,
    exact: coverage.exact,
    calls: coverage.calls,
    lines: new Map(coverage.files.map((file) => [file.path, new Map(file.lines)])),
    instructions: new Map(coverage.instructions.map(([address, count]) => [Number.parseInt(address, 16), count])),
    failures: coverage.failures.map((f) => ({ call: f.call, args: calls?.[f.call] ?? null, kind: f.error.kind, message: f.error.message })),
  };
}

export function lineState(overlay: CoverageOverlay, file: string, line: number): LineState {
  const count = overlay.lines.get(file)?.get(line);
  return count === undefined ? 'no-code' : count > 0 ? 'executed' : 'not-executed';
}

/** Lines executed and lines with code: of `file`, or of every file. */
export function linesHit(overlay: CoverageOverlay, file?: string): { hit: number; total: number } {
  const files = file === undefined ? [...overlay.lines.values()] : [overlay.lines.get(file) ?? new Map<number, number>()];
  let hit = 0;
  let total = 0;
  for (const lines of files) {
    total += lines.size;
    for (const count of lines.values()) if (count > 0) hit++;
  }
  return { hit, total };
}

/** "executed 15 times", "hit" (KVM), "not executed": a line or an instruction, in its tooltip. */
export function describeExecution(overlay: CoverageOverlay, count: number): string {
  if (count === 0) return 'not executed';
  if (!overlay.exact) return 'hit';
  return `executed ${count.toLocaleString()} ${count === 1 ? 'time' : 'times'}`;
}
