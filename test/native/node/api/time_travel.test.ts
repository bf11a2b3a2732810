// Time travel through the Node API, on test/guests/time_travel.c: a recorded call run
// forwards, then backwards, each stop checked against what the forward run saw at the
// same position. (The engine's replay is checked state for state by the conformance
// suite's "time travel" cases.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Sandbox, type Stop, UsageError } from '../../../../native/node/api/index.js';
import { testGuest } from '../../../helpers.js';

const u64 = (bytes: Uint8Array) => Buffer.from(bytes).readBigUInt64LE(0);

describe('time travel', () => {
  let sandbox: Sandbox;
  let ticks = 0;
  beforeAll(async () => {
    sandbox = await Sandbox.create(testGuest('time_travel'), {
      backend: 'emulated',
      hostFunctions: { tick: { params: [], returns: 'u64', fn: () => BigInt(1000 + 13 * ticks++) } },
    });
  });
  afterAll(() => sandbox.dispose());

  it('goes back through a recursion: reverse-continue stops at the forward hits, latest first', async () => {
    const session = await sandbox.debug('fib_of', [6], { record: { checkpointInterval: 300 } });
    expect(session.stop.position).toBe(0);
    const breakpoint = sandbox.addBreakpoint('fib');
    const forward: { position: number; n: string }[] = [];
    let stop: Stop = await session.continue();
    while (stop.reason === 'breakpoint') {
      forward.push({ position: stop.position!, n: sandbox.evaluate('n').value });
      stop = await session.continue();
    }
    expect(stop.reason).toBe('exit');
    expect(stop.value).toBe(8n);
    expect(forward.length).toBeGreaterThan(5);
    const recording = session.recording!;
    expect(recording.ended).toBe(true);
    expect(recording.end).toBe(stop.position);
    expect(recording.checkpoints).toBeGreaterThan(1);

    for (const hit of [...forward].reverse()) {
      const back = await session.reverseContinue();
      expect(back.reason).toBe('breakpoint');
      expect(back.breakpoint).toBe(breakpoint.id);
      expect(back.position).toBe(hit.position);
      expect(sandbox.evaluate('n').value).toBe(hit.n);
    }
    expect((await session.reverseContinue()).reason).toBe('start');
    // The timeline's marks: each hit once, whether seen going forward or back.
    const marks = session.recording!.events.filter((e) => e.kind === 'breakpoint');
    expect(marks.map((e) => e.position)).toEqual(forward.map((hit) => hit.position));
    expect(marks.every((e) => e.id === breakpoint.id)).toBe(true);
    expect(sandbox.breakpoints()[0]!.hits).toBe(forward.length); // the searches added none
    sandbox.removeBreakpoint(breakpoint.id);

    // Forward from the past replays to the recording's end, to the same result.
    const end = await session.continue();
    expect(end.reason).toBe('exit');
    expect(end.value).toBe(8n);
  });

  it('steps back an instruction, out of a function and over a call', async () => {
    const session = await sandbox.debug('fib_of', [5], { record: true });
    const fib = sandbox.resolve('fib');
    await session.runTo('fib'); // fib_of's tail call: a jmp
    const entered = await session.runTo('fib'); // fib's own call of itself
    expect(entered.rip).toBe(fib);
    const back = await session.stepBackInstruction();
    expect(back.position).toBe(entered.position! - 1);
    expect(sandbox.disassemble(back.rip, 1)[0]!.mnemonic).toBe('call');
    expect(back.registers.rsp).toBe(entered.registers.rsp + 8n);
    await session.stepInstruction();
    await session.stepInstruction();
    const out = await session.stepBackOut();
    expect(out.position).toBe(back.position);
    // Over the whole call forwards, then back over it.
    const over = await session.stepOver();
    expect(over.position).toBeGreaterThan(entered.position! + 20);
    const backOver = await session.stepBackOver();
    expect(backOver.position).toBe(back.position);
    // Anywhere, and refused outside the recording.
    const there = await session.goTo(3);
    expect(there.position).toBe(3);
    await expect(session.goTo(10_000_000)).rejects.toThrow(UsageError);
    await expect(session.goTo(10_000_000)).rejects.toThrow(/outside the recording/);
    session.end();
  });

  it('replays host calls from the log: the host is called once, the replay sees what it answered', async () => {
    ticks = 0;
    const session = await sandbox.debug('ticks', [3], { record: true });
    const first = await session.continue();
    expect(first.reason).toBe('exit');
    expect(ticks).toBe(3);
    await session.goTo(0);
    const again = await session.continue();
    expect(again.value).toBe(first.value);
    expect(ticks).toBe(3);
    const events = session.recording!.events.filter((e) => e.kind === 'host-call');
    expect(events.map((e) => e.function)).toEqual(['tick', 'tick', 'tick']);
  });

  it('finds the last write of a variable, as a write watchpoint run forwards saw it', async () => {
    const session = await sandbox.debug('fib_of', [5], { record: true });
    const lastN = sandbox.resolve('last_n');
    const watch = sandbox.addWatchpoint(lastN, 8, 'write');
    const writes: { position: number; old: bigint; now: bigint; instruction: bigint }[] = [];
    let stop = await session.continue();
    while (stop.reason === 'watchpoint') {
      writes.push({ position: stop.position! - 1, old: u64(stop.watch!.oldValue), now: u64(stop.watch!.newValue), instruction: stop.watch!.instruction! });
      stop = await session.continue();
    }
    sandbox.removeWatchpoint(watch.id);
    expect(writes.length).toBeGreaterThan(5);
    expect(session.recording!.events.filter((e) => e.kind === 'watchpoint').map((e) => e.position)).toEqual(writes.map((w) => w.position));
    const last = writes.at(-1)!;
    // Variables are there while the call is paused: one instruction back from its end.
    expect((await session.stepBackInstruction()).position).toBe(stop.position! - 1);
    const found = await session.lastWriteOf('last_n');
    expect(found.found).toBe(true);
    expect(found.position).toBe(last.position);
    expect(found.instruction).toBe(last.instruction);
    expect(found.instructionSymbol).toMatch(/^fib/);
    expect(found.file).toMatch(/time_travel\.c$/);
    expect(u64(found.oldValue!)).toBe(last.old);
    expect(u64(found.newValue!)).toBe(last.now);
    // From the middle: the write before it.
    const middle = writes[3]!;
    await session.goTo(middle.position);
    const before = await session.lastWrite(lastN, 8);
    expect(before.position).toBe(writes[2]!.position);
    expect(session.recording!.position).toBe(middle.position);
    await expect(session.lastWriteOf('no_such_variable')).rejects.toThrow(/nothing is named 'no_such_variable'/);
    session.end();
  });

  it("finds a register's last write: the instruction, and the values before and after it", async () => {
    const session = await sandbox.debug('fib_of', [5], { record: true });
    await session.runTo('fib');
    const entered = await session.runTo('fib'); // fib(4), called by fib(5)
    const found = await session.lastRegisterWrite('rdi');
    expect(found.found).toBe(true);
    expect(found.position).toBeLessThan(entered.position!);
    const [instruction] = sandbox.disassemble(found.instruction!, 1);
    expect(instruction!.operands).toMatch(/^rdi, /); // it writes rdi
    expect(u64(found.newValue!)).toBe(entered.registers.rdi);
    expect(u64(found.newValue!)).toBe(4n);
    expect(session.recording!.position).toBe(entered.position);
    await expect(session.lastRegisterWrite('rip')).rejects.toThrow(/no register a last write can be asked of/);
    session.end();
  });

  it('refuses to go back in a call that is not recorded', async () => {
    const session = await sandbox.debug('fib_of', [3]);
    expect(session.recording).toBeNull();
    await expect(session.stepBackInstruction()).rejects.toThrow(/not recorded/);
    session.end();
  });
});
