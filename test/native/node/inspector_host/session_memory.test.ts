// What a restarted engine gets back: the session memory notes the requests the old engine
// served and replays them into a new one. Both engines are real (the engine process's
// Engine, in this process, over the addon); the new one must show the same breakpoints and
// watchpoints, on or off as the user left them, under its own ids.
import { afterAll, describe, expect, it } from 'vitest';

import type { Method, Params, Results } from '../../../../native/common/protocol/messages.js';
import { Engine } from '../../../../native/node/engine_process/engine.js';
import { SessionMemory } from '../../../../native/node/inspector_host/session_memory.js';

const engines: Engine[] = [];
afterAll(() => engines.forEach((engine) => engine.dispose()));

function newEngine() {
  const engine = new Engine();
  engines.push(engine);
  const ask = async <M extends Method>(method: M, params: Params<M>) => {
    try {
      return { ok: true as const, result: (await engine.handle({ id: 1, method, params })) as Results[M] };
    } catch {
      return { ok: false as const };
    }
  };
  return { engine, ask };
}

/** A session as the user sees it: the points without their ids, which are each engine's own. */
async function points(ask: ReturnType<typeof newEngine>['ask']) {
  const breakpoints = await ask('breakpoint.list', {});
  const watchpoints = await ask('watchpoint.list', {});
  if (!breakpoints.ok || !watchpoints.ok) throw new Error('listing failed');
  return {
    breakpoints: breakpoints.result.map(({ location, condition, enabled, address }) => ({ location, condition, enabled, address })),
    watchpoints: watchpoints.result.map(({ address, length, kind, enabled }) => ({ address, length, kind, enabled })),
  };
}

describe('the session memory', () => {
  it('gives a new engine the guest and the points as the user left them', async () => {
    const memory = new SessionMemory();
    const old = newEngine();
    // Every request the old engine serves is noted, as the engine link does.
    const served = async <M extends Method>(method: M, params: Params<M>) => {
      const answer = await old.ask(method, params);
      if (!answer.ok) throw new Error(`${method} failed`);
      memory.track(method, params, answer.result);
      return answer.result;
    };
    await served('guest.load', {});
    const fib = await served('breakpoint.add', { location: 'fib' });
    const add = await served('breakpoint.add', { location: 'add', condition: 'rdi == 7' });
    const gone = await served('breakpoint.add', { location: 'greet' });
    const watch = await served('watchpoint.add', { location: 'fib', length: 8, kind: 'write' });
    await served('breakpoint.enable', { id: add.id, enabled: false });
    await served('breakpoint.enable', { id: fib.id, enabled: false });
    await served('breakpoint.enable', { id: fib.id, enabled: true });
    await served('watchpoint.enable', { id: watch.id, enabled: false });
    await served('breakpoint.remove', { id: gone.id });
    // Requests that change nothing to remember are not replayed.
    await served('call.run', { function: 'add', args: ['1', '2'] });
    const before = await points(old.ask);
    expect(before.breakpoints.map((b) => [b.location, b.enabled])).toEqual([
      ['fib', true],
      ['add', false],
    ]);

    const fresh = newEngine();
    const guest = await memory.replay(fresh.ask);
    expect(guest?.functions.map((f) => f.name)).toContain('fib');
    expect(await points(fresh.ask)).toEqual(before);

    // The memory now follows the new engine's ids: a change made there is replayed too.
    const listed = await fresh.ask('breakpoint.list', {});
    if (!listed.ok) throw new Error('listing failed');
    const renumbered = listed.result.find((b) => b.location === 'fib')!;
    memory.track('breakpoint.remove', { id: renumbered.id }, null);
    const third = newEngine();
    await memory.replay(third.ask);
    const after = await points(third.ask);
    expect(after.breakpoints.map((b) => b.location)).toEqual(['add']);
    expect(after.watchpoints).toEqual(before.watchpoints);
  });

  it('replays nothing before a guest is loaded', async () => {
    const memory = new SessionMemory();
    memory.track('breakpoint.add', { location: 'fib' }, { id: 1 });
    expect(await memory.replay(newEngine().ask)).toBeNull();
  });
});
