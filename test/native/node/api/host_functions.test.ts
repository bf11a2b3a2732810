// Guest -> host calls into JS functions: values both ways, order, sync and async
// functions, failures, and wrong calls from the guest.
import { afterEach, describe, expect, it } from 'vitest';

import { HostFunctionError, Sandbox, type HostFunction } from '../../../../native/node/api/index.js';
import { testGuest } from '../../../helpers.js';

let sandbox: Sandbox | undefined;
afterEach(() => {
  sandbox?.dispose();
  sandbox = undefined;
});

async function guestWith(hostFunctions: Record<string, HostFunction>): Promise<Sandbox> {
  sandbox = await Sandbox.create(testGuest('host_calls'), { hostFunctions });
  return sandbox;
}

const doubleIt: HostFunction = { params: ['i64'], returns: 'i64', fn: (v: bigint) => v * 2n };

describe('host functions', () => {
  it('are called with the guest arguments and return to the guest', async () => {
    const seen: bigint[] = [];
    const box = await guestWith({
      double_it: { params: ['i64'], returns: 'i64', fn: (v: bigint) => (seen.push(v), v * 2n) },
    });
    expect(await box.call('double_via_host', 21n)).toBe(42n);
    expect(await box.call('double_via_host', -(2n ** 62n))).toBe(-(2n ** 63n));
    expect(seen).toEqual([21n, -(2n ** 62n)]);
  });

  it('take every type and return str, bytes and f64', async () => {
    let received: unknown[] = [];
    const box = await guestWith({
      all: { params: ['i32', 'u32', 'i64', 'u64', 'f64', 'bool', 'str', 'bytes'], returns: 'i64', fn: (...args: unknown[]) => ((received = args), 7n) },
      shout: { params: ['str'], returns: 'str', fn: (s: string) => s.toUpperCase() + '!' },
      reverse: { params: ['bytes'], returns: 'bytes', fn: (b: Uint8Array) => Uint8Array.from(b).reverse() },
      half: { params: ['f64'], returns: 'f64', fn: (x: number) => x / 2 },
    });
    expect(await box.call('all_types_via_host')).toBe(7n);
    expect(received).toEqual([-1, 2, -3n, 4n, 0.5, true, 'six', Uint8Array.of(1, 2, 3)]);
    expect(await box.call('shout_via_host', 'héllo')).toBe('HÉLLO!');
    expect(await box.call('reverse_via_host', Uint8Array.of(5, 6, 7))).toBe(3n * 1000n + 7n);
    expect(await box.call('half_via_host', 3)).toBe(1.5);
  });

  it('run in the order the guest calls them', async () => {
    const log: string[] = [];
    const box = await guestWith({ log: { params: ['str'], fn: (s: string) => void log.push(s) } });
    await box.call('log_three');
    expect(log).toEqual(['one', 'two', 'three']);
  });

  it('answer thousands of calls in one guest call, each result used', async () => {
    const box = await guestWith({ next: { params: ['u32'], returns: 'u64', fn: (i: number) => BigInt(i % 7) } });
    let expected = 0n;
    for (let i = 0; i < 5000; i++) expected = (expected * 3n + BigInt(i % 7)) & (2n ** 64n - 1n);
    expect(await box.call('call_next', 5000)).toBe(expected);
  });

  it('may be async: the guest waits for the promise', async () => {
    const box = await guestWith({
      double_it: {
        params: ['i64'],
        returns: 'i64',
        fn: async (v: bigint) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return v * 2n;
        },
      },
    });
    const started = Date.now();
    expect(await box.call('double_via_host', 5n)).toBe(10n);
    expect(Date.now() - started).toBeGreaterThanOrEqual(19);
  });

  it('are called from the vCPU thread after a long run, through the event loop', async () => {
    const box = await guestWith({ double_it: doubleIt });
    // ~20 ms of guest work first: the JS thread has stopped waiting by the time of the call.
    expect(await box.call('spin_then_call', 400_000)).toBe(42n);
  });

  it('end the call with a HostFunctionError when they throw or reject', async () => {
    const box = await guestWith({
      fails: {
        fn: () => {
          throw new Error('disk on fire');
        },
      },
      returns_wrong_type: { returns: 'i64', fn: () => 'not a bigint' },
      double_it: { params: ['i64'], returns: 'i64', fn: () => Promise.reject(new Error('later')) },
    });
    const thrown = (await box.call('call_failing').catch((e: unknown) => e)) as HostFunctionError;
    expect(thrown).toBeInstanceOf(HostFunctionError);
    expect(thrown.message).toBe("host function 'fails' threw: disk on fire");
    expect(thrown.hostFunction).toBe('fails');

    const wrong = (await box.call('call_badly_returning').catch((e: unknown) => e)) as HostFunctionError;
    expect(wrong.message).toBe("host function 'returns_wrong_type' returned a value that must be an i64: an integer number or a bigint, got a string");

    const rejected = (await box.call('double_via_host', 1n).catch((e: unknown) => e)) as HostFunctionError;
    expect(rejected.message).toBe("host function 'double_it' failed: later");
    expect(await box.call('log_three').catch((e: unknown) => (e as Error).message)).toBe("the guest called an unknown host function 'log'");
  });

  it('report a guest calling an unknown function or with wrong types', async () => {
    const box = await guestWith({ double_it: doubleIt });
    const unknown = (await box.call('call_unknown').catch((e: unknown) => e)) as HostFunctionError;
    expect(unknown).toBeInstanceOf(HostFunctionError);
    expect(unknown.hostFunction).toBe('no_such_function');
    expect(unknown.message).toBe("the guest called an unknown host function 'no_such_function'");
    const wrong = (await box.call('call_with_wrong_types').catch((e: unknown) => e)) as HostFunctionError;
    expect(wrong.message).toBe('the guest called i64 double_it(i64) with (str)');
    expect(await box.call('double_via_host', 4n)).toBe(8n);
  });

  it('are checked when they are defined', async () => {
    await expect(Sandbox.create(testGuest('host_calls'), { hostFunctions: { print: { fn: () => 0 } } })).rejects.toThrow(
      "'print' is built in; give the host function another name",
    );
    await expect(Sandbox.create(testGuest('host_calls'), { hostFunctions: { f: { params: ['i65' as never], fn: () => 0 } } })).rejects.toThrow(
      "host function 'f': parameter 1 has unknown type 'i65'",
    );
  });

  it('collect printed output, formatted by the guest', async () => {
    const box = await guestWith({});
    const report = await box.invoke('print_lines', [3]);
    expect(report.output).toBe('line 0 of 3: ok 0 beef\nline 1 of 3: ok -1 beef\nline 2 of 3: ok -2 beef\n');
  });

  it('cap the output and say it was truncated', async () => {
    sandbox = await Sandbox.create(testGuest('host_calls'), { outputLimit: 100 });
    const report = await sandbox.invoke('print_lines', [50]);
    expect(report.output).toHaveLength(100);
    expect(report.outputTruncated).toBe(true);
  });
});

describe('host functions called by the guest init', () => {
  it('answer on the JS thread while it waits for the init', async () => {
    const seen: string[] = [];
    sandbox = await Sandbox.create(testGuest('init_host_call'), {
      hostFunctions: { setup: { params: ['str'], returns: 'u64', fn: (from: string) => (seen.push(from), 41n) } },
    });
    expect(seen).toEqual(['init']);
    expect(await sandbox.call('configuration')).toBe(41n);
    expect(await sandbox.call('configuration')).toBe(41n); // from the snapshot, init not run again
    expect(seen).toEqual(['init']);
  });

  it('may answer later, through the event loop', async () => {
    sandbox = await Sandbox.create(testGuest('init_host_call'), {
      hostFunctions: {
        setup: { params: ['str'], returns: 'u64', fn: () => new Promise((resolve) => setTimeout(() => resolve(7n), 10)) },
      },
    });
    expect(await sandbox.call('configuration')).toBe(7n);
  });
});
