// Stepping by source line (native/engine/core/debug/line_steps.cpp) on real guests gcc
// built at -O2: the line each next() and stepIn() reaches, through calls, recursion, a
// loop on one line and the export's thunk, and a breakpoint inside a call it steps over.
import { describe, expect, it } from 'vitest';

import { Sandbox, type Stop } from '../../../../../native/node/api/index.js';
import { demoGuestPath, testGuest } from '../../../../helpers.js';

const at = (stop: Stop) => (stop.reason === 'exit' ? `exit ${String(stop.value)}` : `${stop.symbol?.replace(/\+0x[0-9a-f]+$/, '')}:${stop.line}`);

async function steps(guest: string, fn: string, args: number[], moves: ('next' | 'in')[]): Promise<string[]> {
  const box = await Sandbox.create(guest);
  try {
    const session = await box.debug(fn, args);
    const seen: string[] = [];
    for (const move of moves) {
      const stop = await (move === 'next' ? session.next() : session.stepIn());
      seen.push(at(stop));
      if (stop.reason === 'exit') break;
    }
    return seen;
  } finally {
    box.dispose();
  }
}

describe('next', () => {
  it('goes line by line through fib, over its recursive calls, to the return', async () => {
    expect(await steps(demoGuestPath, 'fib', [3], ['next', 'next', 'next', 'next'])).toEqual(['fib:14', 'fib:15', 'fib:16', 'exit 2']);
  });

  it('stops at each turn of a loop written on one line', async () => {
    const seen = await steps(testGuest('lines'), 'lines_walk', [3], ['in', 'in', 'next', 'next', 'next', 'next', 'next', 'next', 'next']);
    expect(seen[0]).toBe('lines_walk:20');
    expect(seen[1]).toBe('walk:14'); // stepIn from line 20 enters walk
    // One stop a turn (n = 3) on line 14, and one on line 7: gcc puts that statement of the
    // inlined twice() at walk+0x10, before the DW_AT_ranges of its inlined copy begin
    // (+0x17), so by DWARF it is walk's own code, and a next stops there as gdb's does.
    expect(seen.slice(1)).toEqual(['walk:14', 'walk:7', 'walk:14', 'walk:7', 'walk:14', 'walk:7', 'walk:14', 'exit 27']);
  });

  it('stops at a breakpoint inside the call it steps over', async () => {
    const box = await Sandbox.create(testGuest('debuggee'));
    try {
      box.addBreakpoint('square');
      const session = await box.debug('sum_squares', [2]);
      expect(at(await session.next())).toBe('sum_squares:13');
      const stop = await session.next();
      expect(stop.reason).toBe('breakpoint');
      expect(at(stop)).toBe('square:8');
    } finally {
      box.dispose();
    }
  });
});

describe('stepIn', () => {
  it("enters a called function that has lines and comes back to the caller's next line", async () => {
    expect(await steps(testGuest('debuggee'), 'sum_squares', [2], ['in', 'in', 'in', 'in', 'in', 'in'])).toEqual([
      'sum_squares:13',
      'square:8',
      'sum_squares:13',
      'square:8',
      'sum_squares:14',
      'exit 5',
    ]);
  });

  it('enters each recursive call', async () => {
    // Each entry stops at the function's first statement, line 13, past its prologue.
    expect(await steps(demoGuestPath, 'fib', [2], ['in', 'in', 'in', 'in', 'in'])).toEqual(['fib:14', 'fib:13', 'fib:13', 'fib:16', 'exit 1']);
  });

  it("steps over the SDK's thunk, which has no lines of the guest's", async () => {
    // length_of takes a str: the call starts in its thunk; the first step is in length_of.
    const box = await Sandbox.create(testGuest('debuggee'));
    try {
      const session = await box.debug('length_of', ['four']);
      const stop = await session.stepIn();
      expect(stop.symbol).toMatch(/^(length_of|ms_strlen)/);
      expect(stop.file).toMatch(/(debuggee\.c|runtime\.c)$/);
    } finally {
      box.dispose();
    }
  });
});
