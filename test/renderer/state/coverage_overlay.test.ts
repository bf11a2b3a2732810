// Coverage as the code overlay holds it, from the engine's answer: each line with code
// executed (with its count) or not, a line not listed has no code; lines hit per file and
// in all; the calls that failed, with their arguments.
import { describe, expect, it } from 'vitest';

import { coverageOverlay, describeExecution, lineState, linesHit } from '../../../renderer/src/state/coverage_overlay';
import { demo, exactCoverage, header, kvmCoverage } from './coverage_fixture';

describe('a coverage overlay', () => {
  it('holds each line with code and its count, by file', () => {
    const overlay = coverageOverlay(exactCoverage);
    expect(overlay).toMatchObject({ kind: 'coverage', label: 'fib(5)', backend: 'emulated', exact: true, calls: 1, failures: [] });
    expect(overlay.lines.get(demo)!.get(13)).toBe(15);
    expect(overlay.lines.get(demo)!.get(14)).toBe(7);
    expect(overlay.instructions.get(0x100020)).toBe(15);
    expect(overlay.instructions.has(0x100028)).toBe(false);
  });

  it('tells executed, not executed and no code apart', () => {
    const overlay = coverageOverlay(exactCoverage);
    expect(lineState(overlay, demo, 13)).toBe('executed');
    expect(lineState(overlay, demo, 8)).toBe('not-executed');
    // A comment, a blank line, a file with no code at all.
    expect(lineState(overlay, demo, 10)).toBe('no-code');
    expect(lineState(overlay, demo, 18)).toBe('no-code');
    expect(lineState(overlay, '/src/other.c', 1)).toBe('no-code');
  });

  it('counts the lines hit of the lines with code, in a file and in all', () => {
    const overlay = coverageOverlay(exactCoverage);
    expect(linesHit(overlay, demo)).toEqual({ hit: 6, total: 7 });
    expect(linesHit(overlay, header)).toEqual({ hit: 0, total: 1 });
    expect(linesHit(overlay, '/src/other.c')).toEqual({ hit: 0, total: 0 });
    expect(linesHit(overlay)).toEqual({ hit: 6, total: 8 });
  });

  it('says a count as executed times where counted, and as hit on KVM', () => {
    const exact = coverageOverlay(exactCoverage);
    const kvm = coverageOverlay(kvmCoverage);
    expect(describeExecution(exact, 15)).toBe('executed 15 times');
    expect(describeExecution(exact, 1)).toBe('executed 1 time');
    expect(describeExecution(exact, 0)).toBe('not executed');
    expect(describeExecution(kvm, 1)).toBe('hit');
    expect(lineState(kvm, demo, 14)).toBe('executed');
    expect(linesHit(kvm)).toEqual({ hit: 6, total: 8 });
  });

  it('names each call that failed by its arguments', () => {
    const failing = {
      ...exactCoverage,
      call: 'divide × 3 calls',
      calls: 3,
      failures: [{ call: 1, error: { kind: 'fault', message: '#DE at divide+0x8', vector: '#DE' } }],
    };
    expect(
      coverageOverlay(failing, [
        ['4', '2'],
        ['1', '0'],
        ['9', '3'],
      ]).failures,
    ).toEqual([{ call: 1, args: ['1', '0'], kind: 'fault', message: '#DE at divide+0x8' }]);
    expect(coverageOverlay(failing).failures[0]!.args).toBeNull();
  });
});
