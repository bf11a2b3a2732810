// The C library in a guest (test/guests/libc.c, built by `microscope cc` with musl): each
// header's functions give exactly what the C standard and musl promise, output goes to the
// call's output, and the ways a C program ends are guest aborts that say why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GuestAbort, Sandbox } from '../../../native/node/api/index.js';
import { testGuest } from '../../helpers.js';

let libc: Sandbox;
beforeAll(async () => {
  libc = await Sandbox.create(testGuest('libc'), { memorySize: 256 << 20 });
});
afterAll(() => libc.dispose());

const call = (name: string, ...args: (string | number | bigint | boolean)[]) => libc.call(name, ...args);

/** The next double above x: one ulp. */
function nextUp(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) + 1n);
  return view.getFloat64(0);
}

describe('stdio.h', () => {
  it('formats doubles as %f, %e and %g do', async () => {
    expect(await call('format_double', '%f', 3.14159)).toBe('3.141590');
    expect(await call('format_double', '%.3e', 12345.6789)).toBe('1.235e+04');
    expect(await call('format_double', '%e', 0)).toBe('0.000000e+00');
    expect(await call('format_double', '%g', 0.0001)).toBe('0.0001');
    expect(await call('format_double', '%g', 0.00001)).toBe('1e-05');
    expect(await call('format_double', '%g', 123456789)).toBe('1.23457e+08');
    expect(await call('format_double', '%.17g', 0.1)).toBe('0.10000000000000001');
    expect(await call('format_double', '%10.4f|', -2.5)).toBe('   -2.5000|');
    expect(await call('format_double', '%a', 1)).toBe('0x1p+0');
    expect(await call('format_double', '%f', Infinity)).toBe('inf');
    expect(await call('format_double', '%f', NaN)).toMatch(/^-?nan$/);
  });

  it('formats integers, and vsnprintf says what the whole would have been', async () => {
    expect(await call('format_integer', '%08x', 255)).toBe('000000ff');
    expect(await call('format_integer', '%+lld', 42)).toBe('+42');
    expect(await call('format_integer', '%lld', -9223372036854775808n)).toBe('-9223372036854775808');
    expect(await call('format_integer', '%-6d|', 7)).toBe('7     |');
    expect(await call('truncated', 8)).toBe('abcdefg|16');
    expect(await call('truncated', 64)).toBe('abcdefghij-12345|16');
  });

  it('sends stdout and stderr to the call output, in the order written', async () => {
    const report = await libc.invoke('print_all');
    expect(report.output).toBe('one 1\ntwo\nthree\n4\nfive (no newline)');
  });
});

describe('stdlib.h', () => {
  it('round-trips doubles through %.17g and strtod, and sets errno on overflow', async () => {
    for (const x of [0.1, 1 / 3, Math.PI, 1e-310, 1.7976931348623157e308, -0, 123456789.125]) {
      expect(await call('strtod_round_trip', x), String(x)).toBe(true);
    }
    expect(await call('parse_double', '  -1.5e3xyz')).toBe(-1500);
    expect(await call('parse_double', '0x1.8p1')).toBe(3);
    expect(await call('strtol_errno', '99999999999999999999')).toBe('9223372036854775807 34');
    expect(await call('strtol_errno', '-42')).toBe('-42 0');
  });

  it('sorts 100,000 numbers with qsort and finds them with bsearch', async () => {
    // The same LCG in JS: the smallest and largest of the numbers it makes.
    let state = 12345;
    let least = 2 ** 32;
    let most = 0;
    for (let i = 0; i < 100_000; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      least = Math.min(least, state);
      most = Math.max(most, state);
    }
    expect(await call('sort_and_search', 100_000)).toBe(BigInt(least + most));
  });

  it('has abs, labs, div, atoi and strtoul', async () => {
    expect(await call('integers')).toBe('5 6 -3 -1 42 255');
  });

  it('grows a block by realloc to tens of MiB, and calloc gives zeroed memory after free', async () => {
    expect(await call('grow', 48)).toBe(48n);
    expect(await call('calloc_zeroes', 100_000)).toBe(true);
  });

  it('says no when the heap is full, and the next call has all of it again', async () => {
    const first = (await call('exhaust_heap')) as bigint;
    expect(first).toBeGreaterThan(200n); // of a 256 MiB sandbox
    expect(await call('exhaust_heap')).toBe(first);
  });
});

describe('string.h and ctype.h', () => {
  it('tokenizes, searches and compares', async () => {
    expect(await call('strings')).toBe('3 alpha beta gamma|stack|12|1|/c');
  });

  it('classifies and converts characters', async () => {
    expect(await call('classify', 'aB3 !x\t~')).toBe('aAdspasp');
    expect(await call('upper', 'hello, World 9')).toBe('HELLO, WORLD 9');
  });
});

describe('math.h', () => {
  it('gives the exact results IEEE 754 requires', async () => {
    expect(await call('math', 'sqrt', 2, 0)).toBe(Math.SQRT2);
    expect(await call('math', 'sqrt', 1e-300, 0)).toBe(1e-150);
    expect(await call('math', 'fmod', 10, 3)).toBe(1);
    expect(await call('math', 'fmod', -7.5, 2)).toBe(-1.5);
    expect(await call('math', 'floor', -1.5, 0)).toBe(-2);
    expect(await call('math', 'ceil', -1.5, 0)).toBe(-1);
    expect(await call('math', 'round', 2.5, 0)).toBe(3);
    expect(await call('math', 'trunc', -2.7, 0)).toBe(-2);
    expect(await call('math', 'fabs', -0.25, 0)).toBe(0.25);
    expect(await call('math', 'pow', 2, 10)).toBe(1024);
    expect(await call('math', 'pow', 2, -1074)).toBe(5e-324);
    expect(await call('math', 'cbrt', 27, 0)).toBe(3);
    expect(await call('math', 'exp', 0, 0)).toBe(1);
    expect(await call('math', 'log', 1, 0)).toBe(0);
    expect(await call('math', 'log2', 1024, 0)).toBe(10);
  });

  it('is within an ulp of the true value for the transcendental functions', async () => {
    // Correctly rounded values (to the nearest double) of the true results.
    const cases: [string, number, number, number][] = [
      ['sin', 1, 0, 0.8414709848078965],
      ['cos', 1, 0, 0.5403023058681398],
      ['tan', 1, 0, 1.5574077246549023],
      ['exp', 1, 0, Math.E],
      ['log', 10, 0, Math.LN10],
      ['log10', 2, 0, Math.LOG10E * Math.LN2],
      ['atan', 1, 0, Math.PI / 4],
      ['atan2', 1, -1, (3 * Math.PI) / 4],
      ['hypot', 3, 4, 5],
      ['pow', 10, 0.5, 3.1622776601683795],
    ];
    for (const [name, x, y, expected] of cases) {
      const got = (await call('math', name, x, y)) as number;
      const [low, high] = expected < got ? [expected, got] : [got, expected];
      expect(nextUp(low) >= high, `${name}(${x}, ${y}) = ${got}, ${expected} expected`).toBe(true);
    }
  });
});

describe('setjmp.h', () => {
  it('longjmps back across frames with the value given', async () => {
    expect(await call('long_jump', 1)).toBe(2001n);
    expect(await call('long_jump', 100)).toBe(200100n);
  });
});

describe('time.h and random bytes', () => {
  it("has the host's clock: the real time, and a monotonic clock", async () => {
    const now = Number(await call('real_time'));
    expect(Math.abs(now - Date.now() / 1000)).toBeLessThan(600);
    expect(await call('monotonic')).toBe(true);
    expect(await call('formatted_time', 0)).toBe('1970-01-01 00:00:00 Thu');
    expect(await call('formatted_time', 1_000_000_000)).toBe('2001-09-09 01:46:40 Sun');
  });

  it('has random bytes from the host, different each time', async () => {
    const a = (await call('random_bytes', 32)) as Uint8Array;
    const b = (await call('random_bytes', 32)) as Uint8Array;
    expect(a.length).toBe(32);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });
});

describe('the ways a C program ends, and what it cannot do', () => {
  it('ends the call on a failed assert with the expression, the file and the line', async () => {
    const error = (await call('checked', -1).catch((e: unknown) => e)) as GuestAbort;
    expect(error).toBeInstanceOf(GuestAbort);
    expect(error.code).toBe(134);
    expect(error.message).toMatch(/assertion failed: x > 0 \(.*test\/guests\/libc\.c:\d+, checked\)/);
    expect(await call('checked', 5)).toBe(5n);
  });

  it('ends the call on exit and abort, saying which', async () => {
    const exited = (await call('exit_with', 3).catch((e: unknown) => e)) as GuestAbort;
    expect(exited).toMatchObject({ code: 3 });
    expect(exited.message).toMatch(/exit\(3\)/);
    const aborted = (await call('abort_now').catch((e: unknown) => e)) as GuestAbort;
    expect(aborted).toMatchObject({ code: 134 });
    expect(aborted.message).toMatch(/abort\(\)/);
  });

  it('answers what needs an operating system with ENOSYS, not a crash', async () => {
    expect(await call('unsupported')).toBe('-1 Function not implemented');
    expect(await call('open_file')).toBe('null Function not implemented');
  });
});
