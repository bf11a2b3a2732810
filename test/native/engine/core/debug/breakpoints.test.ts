// Breakpoints (native/engine/core/debug/breakpoints.cpp, condition.cpp, logpoint.cpp) on
// real guests at -O2: a line's every address, a condition in C over the frame's
// variables, hit conditions, logpoints that log instead of stopping, and the errors of
// each, given when the breakpoint is made.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { Sandbox, type Stop } from '../../../../../native/node/api/index.js';
import { testBackend, testGuest } from '../../../../helpers.js';

let box: Sandbox;

beforeEach(async () => {
  box = await Sandbox.create(testGuest('lines'), { backend: testBackend as 'emulated' });
});

afterEach(() => box.dispose());

// Continues lines_walk(n) to its end, saying where each stop was and what `what` was there.
async function stops(n: number, what: string): Promise<string[]> {
  const session = await box.debug('lines_walk', [n]);
  const seen: string[] = [];
  for (;;) {
    const stop: Stop = await session.continue();
    for (const log of stop.logs ?? []) seen.push(`log ${log.text}`);
    if (stop.reason !== 'breakpoint') {
      seen.push(`${stop.reason} ${String(stop.value)}`);
      return seen;
    }
    seen.push(`${stop.symbol}:${stop.line} ${what}=${box.evaluate(what).value}`);
  }
}

describe('a line breakpoint', () => {
  it("covers each address where the line's statement starts: a loop line stops on entry and at each turn", async () => {
    const breakpoint = box.addBreakpoint('lines.c:14');
    expect(breakpoint).toMatchObject({ line: 14, file: expect.stringMatching(/\/test\/guests\/lines\.c$/) });
    expect(breakpoint.addresses).toHaveLength(2); // walk's entry and the loop's condition; +0x10 is line 7's
    expect(await stops(3, 'i')).toEqual(['walk:14 i=0', 'walk+0x23:14 i=1', 'walk+0x23:14 i=2', 'walk+0x23:14 i=3', 'exit 27']);
    expect(box.breakpoints()[0]!.hits).toBe(4);
  });

  it('on a line with no code, is on the next line that has some', () => {
    expect(box.addBreakpoint('lines.c:12')).toMatchObject({ line: 14 });
    expect(box.resolveLine('lines.c', 12)).toMatchObject({ requested: 12, line: 14 });
  });
});

describe('conditions', () => {
  it("stop only where a C expression over the frame's variables holds", async () => {
    box.addBreakpoint('lines.c:14', { condition: 'i == 2 && sum > 10' });
    expect(await stops(3, 'sum')).toEqual(['walk+0x23:14 sum=12', 'exit 27']);
  });

  it('take registers as well', async () => {
    box.addBreakpoint('walk', { condition: '*(unsigned int *)rdi == 3' });
    expect(await stops(3, 'rdi != 0')).toEqual(['walk:14 rdi != 0=1', 'exit 27']);
  });

  it('are checked when the breakpoint is made', () => {
    expect(() => box.addBreakpoint('walk', { condition: 'sum >' })).toThrow("'sum >': column 6: expected a value at the end");
    expect(() => box.addBreakpoint('walk', { condition: 'count == 1' })).toThrow(
      "'count == 1': column 1: nothing is named 'count' at walk (no variable, function, enumerator or register)",
    );
    expect(box.breakpoints()).toEqual([]);
  });
});

describe('hit conditions', () => {
  it.each([
    ['3', ['i=2', 'i=3']],
    ['== 3', ['i=2']],
    ['> 2', ['i=2', 'i=3']],
    ['< 3', ['i=0', 'i=1']],
    ['% 2', ['i=1', 'i=3']],
  ])("'%s' counts the times the condition held", async (hitCondition, expected) => {
    box.addBreakpoint('lines.c:14', { hitCondition });
    const seen = await stops(3, 'i');
    expect(seen.slice(0, -1).map((s) => s.split(' ')[1])).toEqual(expected);
  });

  it('must be a count or a comparison with one', () => {
    expect(() => box.addBreakpoint('walk', { hitCondition: 'often' })).toThrow("hit condition 'often' is not a count");
    expect(() => box.addBreakpoint('walk', { hitCondition: '% 0' })).toThrow("hit condition '% 0': '% 0' never holds");
  });
});

describe('logpoints', () => {
  it('log their message with each {expression} evaluated, and go on', async () => {
    box.addBreakpoint('lines.c:14', { logMessage: 'turn {i}: sum={sum} \\{n={*n}\\}' });
    expect(await stops(2, 'i')).toEqual(['log turn 0: sum=0 {n=2}', 'log turn 1: sum=2 {n=2}', 'log turn 2: sum=8 {n=2}', 'exit 8']);
  });

  it('log an expression that fails where it is reached in angle brackets', async () => {
    box.addBreakpoint('walk', { logMessage: 'n points at {n[100000000]}' });
    const seen = await stops(1, 'i');
    expect(seen[0]).toMatch(/^log n points at <n\[100000000\]: can't read memory at 0x[0-9a-f]+ \(outside guest memory\)>$/);
  });

  it('must close each brace', () => {
    expect(() => box.addBreakpoint('walk', { logMessage: 'sum {sum' })).toThrow(
      "log message 'sum {sum': the '{' at column 5 has no '}' (write \\{ for a brace)",
    );
  });
});
