// Calls run off the JS thread: timers keep firing, cancel and dispose work from JS and
// from inside host functions, sandboxes run in parallel.
import { afterEach, describe, expect, it } from 'vitest';

import { BusyError, Cancelled, Sandbox, UsageError } from '../../../../native/node/api/index.js';
import { demoGuestPath, testGuest } from '../../../helpers.js';

const sandboxes: Sandbox[] = [];
afterEach(() => {
  for (const sandbox of sandboxes.splice(0)) sandbox.dispose();
});

async function demo(options = {}): Promise<Sandbox> {
  const sandbox = await Sandbox.create(demoGuestPath, options);
  sandboxes.push(sandbox);
  return sandbox;
}

describe('calls off the JS thread', () => {
  it('leave the event loop running while a guest spins', async () => {
    const sandbox = await demo();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = Date.now();
    await expect(sandbox.invoke('spin', [], { timeoutMs: 300 })).rejects.toThrow(Cancelled);
    clearInterval(timer);
    // Every 5 ms for 300 ms: allow for a slow, shared machine, but not a blocked loop.
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(ticks).toBeGreaterThan(20);
  });

  it('stop at cancel() from JS, promptly', async () => {
    const sandbox = await demo();
    const call = sandbox.call('spin');
    await new Promise((resolve) => setTimeout(resolve, 30));
    const cancelledAt = performance.now();
    sandbox.cancel();
    const error = (await call.catch((e: unknown) => e)) as Cancelled;
    const latency = performance.now() - cancelledAt;
    expect(error).toBeInstanceOf(Cancelled);
    expect(error.reason).toBe('cancel');
    expect(error.message).toBe('cancelled');
    expect(latency).toBeLessThan(100); // the engine's bound is 10 ms; the margin is the shared machine's
    expect(await sandbox.call('add', 2n, 2n)).toBe(4n);
  });

  it('cancel right after the call starts, before the guest runs', async () => {
    const sandbox = await demo();
    for (let i = 0; i < 20; i++) {
      const call = sandbox.call('spin');
      sandbox.cancel();
      await expect(call).rejects.toThrow(Cancelled);
    }
    expect(await sandbox.call('fib', 12)).toBe(144n);
  });

  it('stop at cancel() from inside a host function', async () => {
    const sandbox: Sandbox = await Sandbox.create(testGuest('host_calls'), {
      hostFunctions: {
        slow: { fn: () => sandbox.cancel() },
      },
    });
    sandboxes.push(sandbox);
    await expect(sandbox.call('wait_on_host_then_spin')).rejects.toThrow(Cancelled);
  });

  it('stop at the timeout while a host function has not answered', async () => {
    const sandbox = await Sandbox.create(testGuest('host_calls'), {
      hostFunctions: { slow: { fn: () => new Promise(() => undefined) } },
    });
    sandboxes.push(sandbox);
    const error = (await sandbox.invoke('wait_on_host_then_spin', [], { timeoutMs: 50 }).catch((e: unknown) => e)) as Cancelled;
    expect(error).toBeInstanceOf(Cancelled);
    expect(error.reason).toBe('timeout');
  });

  it('refuse a second call while one runs', async () => {
    const sandbox = await demo();
    const first = sandbox.invoke('spin', [], { timeoutMs: 50 });
    await expect(sandbox.call('add', 1n, 1n)).rejects.toThrow(BusyError);
    expect(sandbox.busy).toBe(true);
    await expect(first).rejects.toThrow(Cancelled);
    expect(sandbox.busy).toBe(false);
  });

  it('dispose a sandbox while its guest spins', async () => {
    const sandbox = await Sandbox.create(demoGuestPath);
    const call = sandbox.call('spin');
    await new Promise((resolve) => setTimeout(resolve, 10));
    sandbox.dispose();
    await expect(call).rejects.toThrow(Cancelled);
    await expect(sandbox.call('add', 1n, 1n)).rejects.toThrow(UsageError);
    await expect(sandbox.call('add', 1n, 1n)).rejects.toThrow('the sandbox has been disposed');
  });

  it('run sandboxes side by side', async () => {
    const boxes = await Promise.all([demo(), demo(), demo()]);
    const results = await Promise.all(boxes.map((box, i) => box.call('fib', 18 + i)));
    expect(results).toEqual([2584n, 4181n, 6765n]);
  });

  it('measure in a native loop without blocking the event loop', async () => {
    const sandbox = await demo();
    for (const mode of ['warm', 'restore', 'cold'] as const) {
      const result = await sandbox.measure('add', [1n, 2n], { mode, iterations: mode === 'cold' ? 20 : 1000 });
      expect(result.iterations).toBe(mode === 'cold' ? 20 : 1000);
      expect(result.totalNs.every((ns) => ns > 0)).toBe(true);
      expect(result.createNs.every((ns) => (mode === 'cold' ? ns > 0 : ns === 0))).toBe(true);
      expect(result.restoreNs.some((ns) => ns > 0)).toBe(mode === 'restore');
    }
    await expect(sandbox.measure('abort_with', [1], { iterations: 10 })).rejects.toThrow('abort_with was asked to abort');
  });
});
