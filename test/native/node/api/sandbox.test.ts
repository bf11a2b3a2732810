// The Node API on the demo guest: each outcome, values of every type, snapshots.
import { createHash } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Cancelled, GuestAbort, GuestFault, Sandbox, UsageError } from '../../../../native/node/api/index.js';
import { demoGuestPath, testBackend, testGuest } from '../../../helpers.js';

describe('the demo guest', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.create(demoGuestPath);
  });
  afterAll(() => sandbox.dispose());

  it('lists its functions in source order with their signatures', () => {
    expect(sandbox.functions.map((f) => f.name)).toEqual(['add', 'fib', 'sha256', 'greet', 'crash_null', 'divide', 'spin', 'alloc', 'abort_with']);
    expect(sandbox.function('add')).toEqual({
      name: 'add',
      params: [
        { name: 'a', type: 'i64' },
        { name: 'b', type: 'i64' },
      ],
      returns: 'i64',
    });
    expect(sandbox.function('greet').returns).toBe('str');
  });

  it('says which backend runs and why', () => {
    expect(sandbox.backend).toBe(testBackend);
    expect(sandbox.backendReason).toBe('requested');
  });

  it('returns values', async () => {
    expect(await sandbox.call('add', 40n, 2n)).toBe(42n);
    expect(await sandbox.call('add', -5, 3)).toBe(-2n);
    expect(await sandbox.call('fib', 20)).toBe(6765n);
    expect(await sandbox.call('divide', 7, 2)).toBe(3);
    expect(await sandbox.call('divide', -7, 2)).toBe(-3);
  });

  it('computes SHA-256 in the guest', async () => {
    for (const input of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(1000)]) {
      const digest = (await sandbox.call('sha256', new TextEncoder().encode(input))) as Uint8Array;
      expect(Buffer.from(digest).toString('hex')).toBe(createHash('sha256').update(input).digest('hex'));
    }
  });

  it('greets through the host print function', async () => {
    const report = await sandbox.invoke('greet', ['World']);
    expect(report.value).toBe('Hello, World!');
    expect(report.output).toBe('Hello, World!');
    expect(report.type).toBe('str');
    expect(report.backend).toBe(testBackend);
  });

  it('reports each phase of a call in nanoseconds', async () => {
    const { timings } = await sandbox.invoke('fib', [15]);
    expect(timings.runNs).toBeGreaterThan(0);
    expect(timings.totalNs).toBeGreaterThanOrEqual(timings.runNs + timings.restoreNs + timings.hostNs);
  });

  it('reports a null read as #PF with RIP, symbol and CR2', async () => {
    const error = await sandbox.call('crash_null').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuestFault);
    const fault = error as GuestFault;
    expect(fault.vector).toBe('#PF');
    expect(fault.vectorNumber).toBe(14);
    expect(fault.cr2).toBe(0n);
    expect(fault.symbol).toMatch(/^crash_null\+0x[0-9a-f]+$/);
    expect(fault.rip).toBeGreaterThan(0x100000n);
    expect(fault.message).toContain('#PF');
  });

  it('reports division by zero and INT32_MIN / -1 as #DE', async () => {
    for (const args of [
      [1, 0],
      [-2147483648, -1],
    ]) {
      const fault = (await sandbox.call('divide', ...args).catch((e: unknown) => e)) as GuestFault;
      expect(fault).toBeInstanceOf(GuestFault);
      expect(fault.vector).toBe('#DE');
      expect(fault.symbol).toMatch(/^divide\+/);
    }
  });

  it('reports an abort with its code and message', async () => {
    const error = (await sandbox.call('abort_with', 7).catch((e: unknown) => e)) as GuestAbort;
    expect(error).toBeInstanceOf(GuestAbort);
    expect(error.code).toBe(7);
    expect(error.message).toBe('abort_with was asked to abort');
  });

  it('allocates from the heap and aborts when it is exhausted', async () => {
    const expected = Array.from({ length: 1000 }, (_, i) => i & 0xff).reduce((sum, v) => sum + v, 0);
    expect(await sandbox.call('alloc', 1000)).toBe(BigInt(expected));
    const error = (await sandbox.call('alloc', 100_000_000).catch((e: unknown) => e)) as GuestAbort;
    expect(error).toBeInstanceOf(GuestAbort);
    expect(error.code).toBe(12);
    expect(error.message).toBe('out of memory');
  });

  it('cancels a guest that never returns at its timeout', async () => {
    const started = Date.now();
    const error = (await sandbox.invoke('spin', [], { timeoutMs: 50 }).catch((e: unknown) => e)) as Cancelled;
    expect(error).toBeInstanceOf(Cancelled);
    expect(error.reason).toBe('timeout');
    expect(error.message).toBe('timed out after 50 ms');
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('works normally after every kind of failure', async () => {
    await sandbox.call('crash_null').catch(() => undefined);
    expect(await sandbox.call('add', 1n, 1n)).toBe(2n);
    await sandbox.call('abort_with', 1).catch(() => undefined);
    expect(await sandbox.call('fib', 10)).toBe(55n);
    await sandbox.invoke('spin', [], { timeoutMs: 5 }).catch(() => undefined);
    expect(await sandbox.call('divide', 9, 3)).toBe(3);
  });

  it('rejects wrong arguments with a usage error naming them', async () => {
    await expect(sandbox.call('add', 'x' as never, 1n)).rejects.toThrow('add: argument 1 (a) must be an i64: an integer number or a bigint, got a string');
    await expect(sandbox.call('add', 1n)).rejects.toThrow('add takes 2 arguments (i64 add(i64 a, i64 b)), got 1');
    await expect(sandbox.call('divide', 2 ** 31, 1)).rejects.toThrow('argument 1 (a) is out of range for i32');
    await expect(sandbox.call('add', 1.5, 1n)).rejects.toThrow(UsageError);
    await expect(sandbox.call('nope')).rejects.toThrow("the guest exports no function 'nope'");
    await expect(sandbox.call('sha256', 'abc' as never)).rejects.toThrow('must be bytes: a Uint8Array or Buffer');
  });
});

describe('values of every type', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.create(testGuest('types'));
  });
  afterAll(() => sandbox.dispose());

  it('round-trips integers at their limits', async () => {
    for (const v of [0, 1, -1, 2147483647, -2147483648]) expect(await sandbox.call('echo_i32', v)).toBe(v);
    for (const v of [0, 1, 4294967295]) expect(await sandbox.call('echo_u32', v)).toBe(v);
    for (const v of [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n)]) expect(await sandbox.call('echo_i64', v)).toBe(v);
    for (const v of [0n, 2n ** 64n - 1n, 2n ** 53n + 1n]) expect(await sandbox.call('echo_u64', v)).toBe(v);
    expect(await sandbox.call('negate_i32', 5)).toBe(-5);
    expect(await sandbox.call('negate_i32', -2147483648)).toBe(-2147483648);
  });

  it('round-trips f64, bool, str and bytes', async () => {
    for (const v of [0, -0.5, Math.PI, 1e308, -Infinity]) expect(await sandbox.call('echo_f64', v)).toBe(v);
    expect(Number.isNaN(await sandbox.call('echo_f64', NaN))).toBe(true);
    expect(await sandbox.call('echo_bool', true)).toBe(true);
    expect(await sandbox.call('echo_bool', false)).toBe(false);
    expect(await sandbox.call('is_even', 4n)).toBe(true);
    expect(await sandbox.call('is_even', 7n)).toBe(false);
    for (const v of ['', 'plain', 'ünïcødé ✓ 𝄞', 'x'.repeat(5000)]) expect(await sandbox.call('echo_str', v)).toBe(v);
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff);
    expect(await sandbox.call('echo_bytes', bytes)).toEqual(bytes);
    expect(await sandbox.call('echo_bytes', new Uint8Array())).toEqual(new Uint8Array());
    expect(await sandbox.call('echo_bytes', Buffer.from('buffer'))).toEqual(new Uint8Array(Buffer.from('buffer')));
    expect(await sandbox.call('nothing')).toBeUndefined();
  });

  it('passes sixteen arguments and every type in one call, each in its place', async () => {
    const args = Array.from({ length: 16 }, (_, i) => BigInt(i + 1));
    const expected = args.reduce((sum, v, i) => sum + v * BigInt(i + 1), 0n);
    expect(await sandbox.call('sum16', ...args)).toBe(expected);
    expect(await sandbox.call('mixed', -1, 2, -3n, 4n, 0.125, true, 'abc', new Uint8Array(5))).toBe(-1 + 20 - 300 + 4000 + 0.125 + 0.5 + 3e6 + 5e7);
    expect(await sandbox.call('scale', 1.5, -4)).toBe(-6);
    expect(await sandbox.call('str_length', 'héllo')).toBe(6n);
    expect(await sandbox.call('bytes_sum', Uint8Array.of(1, 2, 250))).toBe(253n);
  });

  it('aborts in the guest when a result does not fit the output buffer', async () => {
    expect(await sandbox.call('repeat', 'ab', 5)).toBe('ababa');
    const error = (await sandbox.call('repeat', 'ab', 100_000).catch((e: unknown) => e)) as GuestAbort;
    expect(error).toBeInstanceOf(GuestAbort);
    expect(error.message).toBe('the str result does not fit the output buffer');
  });

  it('rejects arguments that do not fit the input buffer', async () => {
    await expect(sandbox.call('echo_str', 'x'.repeat(70_000))).rejects.toThrow(/echo_str: the arguments need \d+ bytes; the input buffer holds 65536/);
    expect(await sandbox.call('echo_i32', 3)).toBe(3);
  });

  it('loads the same guest linked as a static PIE, moved to the image base', async () => {
    const info = Sandbox.inspect(testGuest('pie'));
    expect(info.positionIndependent).toBe(true);
    const pie = await Sandbox.create(testGuest('pie'));
    try {
      expect(pie.layout().loadBias).toBe(0x100000);
      expect(await pie.call('echo_str', 'relocated')).toBe('relocated');
      expect(await pie.call('sum16', ...Array.from({ length: 16 }, () => 1n))).toBe(136n);
      const fault = (await pie
        .call('echo_i64', 1n)
        .then(() => pie.call('repeat', '', 1))
        .catch((e: unknown) => e)) as GuestAbort;
      expect(fault.message).toBe('repeat: bad size');
    } finally {
      pie.dispose();
    }
  });
});

describe('a guest whose init fails', () => {
  it('gives no sandbox, and says why', async () => {
    const error = (await Sandbox.create(testGuest('bad_init')).catch((e: unknown) => e)) as GuestAbort;
    expect(error).toBeInstanceOf(GuestAbort);
    expect(error.code).toBe(3);
    expect(error.message).toBe('init refuses to start');
  });
});
