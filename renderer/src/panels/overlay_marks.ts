// The code overlay as each code view draws it: the Source's marks on a file's lines, the
// Disassembly's column, a cell an instruction. A CPU profile marks what ran, as warm as its
// count; coverage marks each line with code and each instruction executed or not.
import type { WireInstruction } from '../../../native/common/protocol/messages';
import type { CodeOverlay } from '../state/code_overlay';
import { type CoverageOverlay, describeExecution, lineState } from '../state/coverage_overlay';
import { describeCount, describeRuns } from '../state/profile_overlay';

// A mark on a source line, for the Source view's gutter (source_overlay.ts). Here, not
// there, so the main bundle needs no CodeMirror for it.
export interface OverlayLine {
  line: number;
  /** hot: a CPU profile's count; executed and not-executed: coverage's. */
  tone: 'hot' | 'executed' | 'not-executed';
  count: number;
  /** What the gutter shows: "812", "12.3k", "hit", or nothing. */
  text: string;
  /** What it means: "1,234 instructions (5.6%)" (self), "executed 15 times", "hit", "not executed". */
  words: string;
}

/** "812", "12.3k", "4.56M": as wide as the gutter can show. */
export function compact(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1e6) return `${(count / 1e3).toPrecision(3)}k`;
  if (count < 1e9) return `${(count / 1e6).toPrecision(3)}M`;
  return `${(count / 1e9).toPrecision(3)}G`;
}

export interface ColumnCell {
  /** hot: ran in the profile; executed, not-executed: coverage's; null: nothing to mark. */
  tone: OverlayLine['tone'] | null;
  count: number;
  text: string;
  title: string;
  /** A profile's: its count as a share of the hottest instruction shown, 0 to 100. */
  level?: number;
}

/** The marks on `file`'s lines: a profile's lines that ran, or coverage's lines with code. */
export function sourceMarks(overlay: CodeOverlay | null, file: string | undefined): OverlayLine[] {
  if (!overlay || file === undefined) return [];
  if (overlay.kind === 'profile') {
    const lines = overlay.lines.get(file) ?? [];
    return [...lines].flatMap(([line, { self }]) =>
      self > 0 ? [{ line, tone: 'hot' as const, count: self, text: compact(self), words: describeCount(overlay, self) }] : [],
    );
  }
  const lines = overlay.lines.get(file) ?? [];
  return [...lines].map(([line, count]) => ({
    line,
    tone: count > 0 ? ('executed' as const) : ('not-executed' as const),
    count,
    text: count === 0 ? '' : overlay.exact ? compact(count) : 'hit',
    words: describeExecution(overlay, count),
  }));
}

const addressOf = (instruction: WireInstruction) => Number.parseInt(instruction.address, 16);

/** The Disassembly's overlay column: a cell for each of `instructions`. */
export function disassemblyColumn(overlay: CodeOverlay, instructions: readonly WireInstruction[]): ColumnCell[] {
  if (overlay.kind === 'coverage') return instructions.map((i) => coverageCell(overlay, i));
  const counts = instructions.map((i) => overlay.instructions.get(addressOf(i)) ?? 0);
  // The hottest shown sets the scale.
  const hottest = Math.max(1, ...counts);
  return counts.map((count) =>
    count > 0
      ? {
          tone: 'hot',
          count,
          text: count.toLocaleString(),
          title: `In the profile: ${describeRuns(overlay, count)}`,
          level: Math.round((100 * count) / hottest),
        }
      : { tone: null, count: 0, text: '', title: 'Never ran in the profile' },
  );
}

function coverageCell(overlay: CoverageOverlay, instruction: WireInstruction): ColumnCell {
  const count = overlay.instructions.get(addressOf(instruction)) ?? 0;
  if (count > 0)
    return { tone: 'executed', count, text: overlay.exact ? count.toLocaleString() : 'hit', title: `Coverage: ${describeExecution(overlay, count)}` };
  if (overlay.exact) return { tone: 'not-executed', count: 0, text: '', title: 'Coverage: not executed' };
  // KVM saw only the statement starts and function entries hit: the rest of a line that was
  // hit may or may not have run. A line none of whose statements began is not executed, as
  // the Source view marks it.
  const { file, line } = instruction;
  if (file !== undefined && line !== undefined && lineState(overlay, file, line) === 'not-executed')
    return { tone: 'not-executed', count: 0, text: '', title: 'Coverage: not executed (its line was never hit)' };
  return { tone: null, count: 0, text: '', title: 'Coverage on KVM: only the statement starts hit are known' };
}
