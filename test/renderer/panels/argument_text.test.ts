// Arguments as the user writes them: one field's text against its type, and a JSONL list
// of calls (Coverage of several argument lists), checked line by line, naming the line wrong.
import { describe, expect, it } from 'vitest';

import type { WireFunction } from '../../../native/common/protocol/messages';
import { argumentProblem, callLine, parseCalls } from '../../../renderer/src/panels/argument_text';

describe('argumentProblem', () => {
  it('says what each type takes', () => {
    expect(argumentProblem('i32', '-2147483648')).toBeNull();
    expect(argumentProblem('i32', '2147483648')).toBe('i32: out of range (-2147483648 to 2147483647)');
    expect(argumentProblem('u32', '-1')).toBe('u32: out of range (0 to 4294967295)');
    // max + 1 is refused, never wrapped
    expect(argumentProblem('i64', '9223372036854775808')).toBe('i64: out of range (-9223372036854775808 to 9223372036854775807)');
    expect(argumentProblem('i64', '-9223372036854775809')).toBe('i64: out of range (-9223372036854775808 to 9223372036854775807)');
    expect(argumentProblem('u64', '0x10000000000000000')).toBe('u64: out of range (0 to 18446744073709551615)');
    expect(argumentProblem('u64', '0xffffffffffffffff')).toBeNull();
    expect(argumentProblem('u64', '12a')).toBe('u64: a decimal or 0x-hex integer');
    expect(argumentProblem('f64', '0.5')).toBeNull();
    expect(argumentProblem('f64', '')).toBe('f64: a number');
    expect(argumentProblem('bool', 'yes')).toBe('bool: true or false');
    expect(argumentProblem('bytes', 'abc')).toBe('bytes: hex, two digits a byte');
    expect(argumentProblem('str', 'anything')).toBeNull();
  });
});

const fib: WireFunction = { name: 'fib', params: [{ name: 'n', type: 'u32' }], returns: 'u64' };
const add: WireFunction = {
  name: 'add',
  params: [
    { name: 'a', type: 'i64' },
    { name: 'b', type: 'i64' },
  ],
  returns: 'i64',
};

describe('parseCalls', () => {
  it('reads one call a line, numbers or texts, skipping blank lines', () => {
    expect(parseCalls('[5]\n\n["10"]\n["0x10"]\n', fib)).toEqual({ calls: [['5'], ['10'], ['0x10']] });
    expect(parseCalls('[1, -2]\r\n[3, 4]', add)).toEqual({
      calls: [
        ['1', '-2'],
        ['3', '4'],
      ],
    });
  });

  it('says which line is wrong, and why', () => {
    expect(parseCalls('[5]\n5,', fib)).toEqual({ problem: 'Line 2 is not JSON: write a call as an array, like ["0"]' });
    expect(parseCalls('{"n": 5}', fib)).toEqual({ problem: "Line 1 must be an array of the call's arguments (numbers or strings)" });
    expect(parseCalls('[[5]]', fib)).toEqual({ problem: "Line 1 must be an array of the call's arguments (numbers or strings)" });
    expect(parseCalls('[1]\n[1, 2]', fib)).toEqual({ problem: 'Line 2: fib takes 1 argument, not 2' });
    expect(parseCalls('[1]', add)).toEqual({ problem: 'Line 1: add takes 2 arguments, not 1' });
    expect(parseCalls('[-1]', fib)).toEqual({ problem: 'Line 1: n: u32: out of range (0 to 4294967295)' });
    expect(parseCalls(' \n', fib)).toEqual({ problem: 'No calls: one JSON array of arguments a line' });
  });

  it('reads back the lines callLine writes, every digit kept', () => {
    const big = { ...fib, params: [{ name: 'n', type: 'u64' }] };
    expect(callLine(['18446744073709551615'])).toBe('["18446744073709551615"]');
    expect(parseCalls(callLine(['18446744073709551615']), big)).toEqual({ calls: [['18446744073709551615']] });
  });
});
