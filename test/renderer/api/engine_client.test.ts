// @vitest-environment happy-dom
// The renderer's engine client checks what it receives before any panel reads it: a
// malformed result rejects its request with the reason, a malformed event reaches no one.
import { afterEach, describe, expect, it, vi } from 'vitest';

import { clientOver, EngineError } from '../../../renderer/src/api/engine_client';

afterEach(() => vi.restoreAllMocks());

/** A client whose engine is this test: what it sends is recorded, what the engine says is `deliver`. */
function loopback() {
  const sent: { id: number; method: string }[] = [];
  let deliver: (message: unknown) => void = () => undefined;
  const client = clientOver(
    (message) => sent.push(message as { id: number; method: string }),
    (listener) => (deliver = listener),
  );
  return { client, sent, deliver: (message: unknown) => deliver(message) };
}

const registers = { values: { rip: '0x1000' }, flags: {} };

describe('the engine client', () => {
  it('resolves a result of its method, and rejects an engine error with it', async () => {
    const { client, sent, deliver } = loopback();
    const resumed = client.request('debug.resume', { how: 'step' });
    deliver({ id: sent[0]!.id, ok: true, result: { reason: 'step', rip: '0x1000', symbol: 'fib', registers } });
    expect((await resumed).symbol).toBe('fib');
    const failed = client.request('call.run', { function: 'nope', args: [] });
    deliver({ id: sent[1]!.id, ok: false, error: { kind: 'usage', message: "there is no function 'nope'" } });
    await expect(failed).rejects.toMatchObject({ wire: { kind: 'usage', message: "there is no function 'nope'" } });
  });

  it("rejects a result that is not its method's, saying what is wrong", async () => {
    const { client, sent, deliver } = loopback();
    const loaded = client.request('guest.load', {});
    // A stop where a guest was asked for: the engine and the UI disagree.
    deliver({ id: sent[0]!.id, ok: true, result: { reason: 'step', rip: '0x1000', symbol: 'fib', registers } });
    const error = await loaded.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).wire.kind).toBe('protocol');
    expect((error as EngineError).message).toMatch(/the engine's answer to guest\.load is malformed: path:/);
  });

  it('passes checked events on and drops malformed ones, saying so', () => {
    const { client, deliver } = loopback();
    const seen: unknown[] = [];
    client.onEvent((event) => seen.push(event));
    const console = vi.spyOn(globalThis.console, 'error').mockImplementation(() => undefined);
    deliver({ event: 'engine', state: 'running', pid: 9 });
    deliver({ event: 'engine', state: 'asleep' });
    deliver({ id: 99, ok: true, result: null });
    expect(seen).toEqual([{ event: 'engine', state: 'running', pid: 9 }]);
    expect(console.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringMatching(/an event from the engine is malformed: state/),
      expect.stringMatching(/not waiting \(id 99\)/),
    ]);
  });
});
