// The code overlay as the code views draw it. The Source: coverage marks every line with
// code, executed (its count, or "hit" on KVM) or not, and nothing on a line without code;
// a profile marks the lines that ran. The Disassembly's column: each instruction executed
// (its count where counted) or not; on KVM only the statement starts hit are known.
import { describe, expect, it } from 'vitest';

import type { WireInstruction } from '../../../native/common/protocol/messages';
import { disassemblyColumn, sourceMarks } from '../../../renderer/src/panels/overlay_marks';
import { coverageOverlay } from '../../../renderer/src/state/coverage_overlay';
import { profileOverlay } from '../../../renderer/src/state/profile_overlay';
import { demo, exactCoverage, kvmCoverage } from '../state/coverage_fixture';
import { file, profileOf } from './profile/profile_fixture';

const instruction = (address: string, line?: number): WireInstruction => ({
  address,
  bytes: '90',
  mnemonic: 'nop',
  operands: '',
  symbol: 'fib',
  ...(line === undefined ? {} : { file: demo, line }),
});
// fib's entry (12), its compare (13) and the rest of line 13, line 14's call; add's entry (8).
const code = [instruction('0x100020', 12), instruction('0x100024', 13), instruction('0x100028', 13), instruction('0x100030', 14), instruction('0x100000', 8)];

describe("coverage's marks in the Source view", () => {
  it('marks each line with code executed with its count, or not executed', () => {
    const marks = sourceMarks(coverageOverlay(exactCoverage), demo);
    expect(marks.map((m) => [m.line, m.tone, m.text])).toEqual([
      [8, 'not-executed', ''],
      [12, 'executed', '15'],
      [13, 'executed', '15'],
      [14, 'executed', '7'],
      [15, 'executed', '7'],
      [16, 'executed', '7'],
      [17, 'executed', '15'],
    ]);
    expect(marks.find((m) => m.line === 13)!.words).toBe('executed 15 times');
    expect(marks.find((m) => m.line === 8)!.words).toBe('not executed');
    // A comment line (10, 11) has no code: no mark.
    expect(marks.some((m) => m.line === 10 || m.line === 11)).toBe(false);
  });

  it('says "hit" on KVM, where lines are not counted', () => {
    const marks = sourceMarks(coverageOverlay(kvmCoverage), demo);
    expect(marks.find((m) => m.line === 14)).toMatchObject({ tone: 'executed', text: 'hit', words: 'hit', count: 1 });
    expect(marks.find((m) => m.line === 8)).toMatchObject({ tone: 'not-executed', text: '' });
  });

  it('marks nothing in a file without code, or with no overlay', () => {
    expect(sourceMarks(coverageOverlay(exactCoverage), '/src/other.c')).toEqual([]);
    expect(sourceMarks(null, demo)).toEqual([]);
    expect(sourceMarks(coverageOverlay(exactCoverage), undefined)).toEqual([]);
  });

  it("marks a profile's lines that ran, by their self count", () => {
    const overlay = profileOverlay(1, 'fib() exact', profileOf({ 'main:3>fib:13': 4, 'main:3>fib:14': 1 }));
    expect(sourceMarks(overlay, file).map((m) => [m.line, m.tone, m.text, m.words])).toEqual([
      [13, 'hot', '4', '4 instructions (80.0%)'],
      [14, 'hot', '1', '1 instruction (20.0%)'],
    ]);
  });
});

describe("the Disassembly's overlay column", () => {
  it('counts each instruction executed, and marks the rest not executed', () => {
    const cells = disassemblyColumn(coverageOverlay(exactCoverage), code);
    expect(cells.map((c) => [c.tone, c.text])).toEqual([
      ['executed', '15'],
      ['executed', '15'],
      ['not-executed', ''],
      ['executed', '7'],
      ['not-executed', ''],
    ]);
    expect(cells[0]!.title).toBe('Coverage: executed 15 times');
    expect(cells[2]!.title).toBe('Coverage: not executed');
  });

  it('on KVM marks the statement starts hit, the lines never hit, and leaves the rest unknown', () => {
    const cells = disassemblyColumn(coverageOverlay(kvmCoverage), code);
    expect(cells.map((c) => [c.tone, c.text])).toEqual([
      ['executed', 'hit'],
      // Line 13 was hit, but not at this address as KVM saw it: not known.
      [null, ''],
      [null, ''],
      ['executed', 'hit'],
      ['not-executed', ''],
    ]);
    expect(cells[1]!.title).toBe('Coverage on KVM: only the statement starts hit are known');
    expect(cells[4]!.title).toBe('Coverage: not executed (its line was never hit)');
  });

  it("puts a profile's counts in it, warm as a share of the hottest shown", () => {
    const profile = profileOf({ 'main>fib': 3, 'main>fib>fib': 1 });
    profile.locations.forEach((location, i) => (location.address = i === 0 ? 0x100020 : 0x100024));
    const cells = disassemblyColumn(profileOverlay(1, 'fib() exact', profile), code.slice(0, 3));
    expect(cells.map((c) => [c.tone, c.text, c.level])).toEqual([
      ['hot', '3', 100],
      ['hot', '1', 33],
      [null, '', undefined],
    ]);
  });
});
