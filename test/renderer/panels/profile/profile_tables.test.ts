// The profile view's tables, the same definitions as the engine's: self where a function
// ran, total where it was on the stack (a recursion once), lines and instructions, time
// only for samples, and the label a long argument doesn't swamp.
import { describe, expect, it } from 'vitest';

import {
  countNs,
  instructionCounts,
  lineCounts,
  profileLabel,
  signedPercent,
  topFunctions,
  totalCount,
} from '../../../../renderer/src/panels/profile/profile_tables';
import { file, profileOf } from './profile_fixture';

const profile = profileOf({ 'main:3>fib:13>fib:12': 2, 'main:3>fib:13': 4, 'main:3>*inl:7': 2, 'main:3': 2 });

describe('the profile tables', () => {
  it('count self and total per function, a recursion once, the most self first (ties: the most total)', () => {
    expect(totalCount(profile)).toBe(10);
    expect(topFunctions(profile).map((r) => [r.function, r.self, r.total, r.selfShare, r.totalShare])).toEqual([
      ['fib', 6, 6, 0.6, 0.6],
      ['main', 2, 10, 0.2, 1],
      ['inl', 2, 2, 0.2, 0.2],
    ]);
  });

  it('count lines, self where the code ran, total under a call on the line', () => {
    const lines = lineCounts(profile).get(file)!;
    expect(Object.fromEntries(lines)).toEqual({
      3: { self: 2, total: 10 },
      7: { self: 2, total: 2 },
      12: { self: 2, total: 2 },
      13: { self: 4, total: 6 },
    });
  });

  it('count instructions by the address that ran', () => {
    expect([...instructionCounts(profile).values()].reduce((a, b) => a + b)).toBe(10);
  });

  it('give time only to samples', () => {
    expect(countNs(profile, 5)).toBeNull();
    expect(countNs(profileOf({ main: 1 }, 'samples'), 5)).toBe(5_000_000);
  });

  it('label a profile with its arguments, a long one cut short', () => {
    expect(profileLabel({ ...profile, args: ['15'] })).toBe('main(15) exact · warm · emulated');
    expect(profileLabel({ ...profileOf({ main: 1 }, 'samples'), args: ['ab'.repeat(40)] })).toBe(`main(${'ab'.repeat(10)}…) sampled 1000 Hz · warm · emulated`);
    expect([signedPercent(0.012), signedPercent(-0.004), signedPercent(0.0001)]).toEqual(['+1.2%', '−0.4%', '0.0%']);
  });
});
