// The debugger through the Node API, on the debuggee test guest (test/guests/debuggee.c)
// and the demo: every stop checked for where it is, why, and what the guest's state is.
// (The same run control is checked on KVM by the conformance suite in `npm run test:kvm`.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { BusyError, GuestFault, Sandbox, type Stop, UsageError } from '../../../../native/node/api/index.js';
import { demoGuestPath, projectRoot, testGuest } from '../../../helpers.js';

const source = readFileSync(join(projectRoot, 'test/guests/debuggee.c'), 'utf8').split('\n');
/** The 1-based line of debuggee.c that holds `text`. */
function lineOf(text: string): number {
  const index = source.findIndex((line) => line.includes(text));
  expect(index).toBeGreaterThanOrEqual(0);
  return index + 1;
}

function u64(bytes: Uint8Array): bigint {
  return Buffer.from(bytes).readBigUInt64LE(0);
}

describe('the debugger', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.create(testGuest('debuggee'));
  });
  afterEach(() => {
    for (const b of sandbox.breakpoints()) sandbox.removeBreakpoint(b.id);
    for (const w of sandbox.watchpoints()) sandbox.removeWatchpoint(w.id);
  });
  afterAll(() => sandbox.dispose());

  it('starts a call paused at its entry, with the arguments in place and the source line known', async () => {
    const session = await sandbox.debug('sum_squares', [3]);
    const stop = session.stop;
    expect(stop.reason).toBe('entry');
    expect(stop.symbol).toBe('sum_squares');
    expect(stop.rip).toBe(sandbox.resolve('sum_squares'));
    expect(stop.file).toMatch(/debuggee\.c$/);
    expect(stop.line).toBe(lineOf('total = 0;'));
    expect(stop.registers.rdi).toBe(3n);
    expect(stop.registers.flags).toEqual({ cf: false, pf: false, af: false, zf: false, sf: false, tf: false, if: false, df: false, of: false, iopl: 0 });
    expect(session.active).toBe(true);

    const [first] = sandbox.disassemble(stop.rip, 1);
    expect(first!.mnemonic).toBe('mov'); // total = 0
    const step = await session.stepInstruction();
    expect(step.reason).toBe('step');
    expect(step.rip).toBe(stop.rip + BigInt(first!.size));

    const exit = await session.continue();
    expect(exit.reason).toBe('exit');
    expect(exit.value).toBe(14n);
    expect(session.active).toBe(false);
    expect(await sandbox.call('sum_squares', 2)).toBe(5n); // calls as ever afterwards
  });

  it('stops at breakpoints by symbol and by source line, counting hits, with conditions', async () => {
    const bySymbol = sandbox.addBreakpoint('square');
    expect(bySymbol.address).toBe(sandbox.resolve('square'));
    const session = await sandbox.debug('sum_squares', [4]);
    for (const n of [1n, 2n]) {
      const hit = await session.continue();
      expect(hit).toMatchObject({ reason: 'breakpoint', breakpoint: bySymbol.id, symbol: 'square' });
      expect(hit.registers.rdi).toBe(n);
    }
    sandbox.enableBreakpoint(bySymbol.id, false);
    const conditional = sandbox.addBreakpoint('square', { condition: 'rdi == 4' });
    const fourth = await session.continue();
    expect(fourth).toMatchObject({ reason: 'breakpoint', breakpoint: conditional.id });
    expect(fourth.registers.rdi).toBe(4n);
    expect(await session.continue()).toMatchObject({ reason: 'exit', value: 30n });
    expect(sandbox.breakpoints().map((b) => [b.hits, b.enabled])).toEqual([
      [2, false],
      [1, true],
    ]);
    sandbox.removeBreakpoint(conditional.id);
    sandbox.removeBreakpoint(bySymbol.id);

    const line = lineOf('total += square(i);');
    const byLine = sandbox.addBreakpoint(`debuggee.c:${line}`);
    const again = await sandbox.debug('sum_squares', [2]);
    const atLine = await again.continue();
    expect(atLine).toMatchObject({ reason: 'breakpoint', breakpoint: byLine.id, line });
    // While paused on a breakpoint, memory shows the guest's own byte, not the debugger's int3.
    expect(sandbox.readMemory(atLine.rip, 1)[0]).toBe(sandbox.disassemble(atLine.rip, 1)[0]!.bytes[0]);
    expect(sandbox.readMemory(atLine.rip, 1)[0]).not.toBe(0xcc);
    again.end();
    expect(again.active).toBe(false);
  });

  it('steps over a call, into one with run-to, and out of it', async () => {
    const session = await sandbox.debug('sum_squares', [3]);
    let instruction = sandbox.disassemble(session.stop.rip, 1)[0]!;
    for (let i = 0; i < 64 && instruction.mnemonic !== 'call'; i++) {
      const stop = await session.stepInstruction();
      instruction = sandbox.disassemble(stop.rip, 1)[0]!;
    }
    expect(instruction).toMatchObject({ mnemonic: 'call', targetSymbol: 'square', target: sandbox.resolve('square') });
    const over = await session.stepOver();
    expect(over.reason).toBe('step');
    expect(over.rip).toBe(instruction.address + BigInt(instruction.size));
    expect(over.registers.rax).toBe(1n); // square(1)

    const into = await session.runTo('square');
    expect(into).toMatchObject({ reason: 'step', symbol: 'square' });
    expect(into.registers.rdi).toBe(2n);
    const frames = sandbox.backtrace();
    expect(frames.map((f) => f.symbol.split('+')[0])).toEqual(['square', 'sum_squares']);
    expect(frames[1]!.line).toBe(lineOf('total += square(i);'));

    sandbox.setRegisters({ rdi: 10n }); // square(10) instead of square(2)
    const out = await session.stepOut();
    expect(out.reason).toBe('step');
    expect(out.symbol.startsWith('sum_squares+')).toBe(true);
    expect(out.registers.rax).toBe(100n);
    expect(await session.continue()).toMatchObject({ reason: 'exit', value: 1n + 100n + 9n });
  });

  it('backtraces a recursion frame by frame', async () => {
    const demo = await Sandbox.create(demoGuestPath);
    try {
      demo.addBreakpoint('fib', { condition: 'rdi == 0' });
      const session = await demo.debug('fib', [3]);
      const stop = await session.continue();
      expect(stop.registers.rdi).toBe(0n);
      // fib(3) -> fib(2) -> fib(0): the second recursion of fib(2), the first of fib(3).
      expect(demo.backtrace().map((f) => f.symbol.split('+')[0])).toEqual(['fib', 'fib', 'fib']);
      session.end();
    } finally {
      demo.dispose();
    }
  });

  it('stops after each write to a watched global, with the old and new values and the instruction', async () => {
    const total = sandbox.resolve('total');
    const watch = sandbox.addWatchpoint('total', 8, 'write');
    const session = await sandbox.debug('sum_squares', [3]);
    const seen: [bigint, bigint][] = [];
    let stop: Stop;
    while ((stop = await session.continue()).reason === 'watchpoint') {
      expect(stop.watch).toMatchObject({ watchpoint: watch.id, address: total, size: 8, access: 'write' });
      expect(stop.watch!.instructionSymbol!.startsWith('sum_squares')).toBe(true);
      expect(sandbox.disassemble(stop.watch!.instruction!, 1)[0]!.mnemonic).toBe('mov');
      seen.push([u64(stop.watch!.oldValue), u64(stop.watch!.newValue)]);
    }
    expect(seen).toEqual([
      [0n, 0n],
      [0n, 1n],
      [1n, 5n],
      [5n, 14n],
    ]);
    expect(stop).toMatchObject({ reason: 'exit', value: 14n });
    expect(sandbox.watchpoints()[0]!.hits).toBe(4);
  });

  it('stops at reads of a read watchpoint, the value unchanged', async () => {
    sandbox.addWatchpoint('reads_only', 4, 'read');
    const session = await sandbox.debug('read_twice');
    for (let i = 0; i < 2; i++) {
      const stop = await session.continue();
      expect(stop.reason).toBe('watchpoint');
      expect(stop.watch!.access).toBe('read');
      expect([...stop.watch!.newValue]).toEqual([7, 0, 0, 0]);
      expect(stop.watch!.oldValue).toEqual(stop.watch!.newValue);
    }
    expect(await session.continue()).toMatchObject({ reason: 'exit', value: 14n });
  });

  it('pauses a spinning guest from a timer', async () => {
    const session = await sandbox.debug('spin_forever');
    setTimeout(() => session.pause(), 20);
    const stop = await session.continue();
    expect(stop.reason).toBe('pause');
    expect(stop.symbol.startsWith('spin_forever')).toBe(true);
    expect((await session.stepInstruction()).reason).toBe('step');
    session.end();
  });

  it("stops at the guest's own int3 as a #BP fault, then ends the call with it", async () => {
    sandbox.addBreakpoint('square'); // breakpoints written, none of them hit
    const session = await sandbox.debug('own_int3');
    const fault = await session.continue();
    expect(fault.reason).toBe('fault');
    expect(fault.error).toBeInstanceOf(GuestFault);
    expect((fault.error as GuestFault).vector).toBe('#BP');
    const exit = await session.continue();
    expect(exit.reason).toBe('exit');
    expect(exit.error).toBeInstanceOf(GuestFault);
    expect(session.active).toBe(false);
  });

  it('restarts a call from its entry', async () => {
    sandbox.addBreakpoint('square');
    const session = await sandbox.debug('sum_squares', [3]);
    await session.continue();
    await session.continue();
    const entry = await session.restart();
    expect(entry).toMatchObject({ reason: 'entry', symbol: 'sum_squares' });
    const first = await session.continue();
    expect(first.registers.rdi).toBe(1n);
    session.end();
  });

  it('reads and writes SSE registers while paused', async () => {
    const session = await sandbox.debug('sum_squares', [1]);
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    sandbox.setRegisters({ xmm3: bytes, xmm15: 1n << 127n, mxcsr: 0x1f80 });
    const registers = sandbox.registers();
    expect(registers.xmm3).toBe(BigInt('0x' + Buffer.from(bytes).reverse().toString('hex')));
    expect(registers.xmm15).toBe(1n << 127n);
    expect(registers.mxcsr).toBe(0x1f80);
    session.end();
  });

  it('says what is wrong with a bad request', async () => {
    expect(() => sandbox.addBreakpoint('no_such_symbol')).toThrow("the guest has no symbol 'no_such_symbol'");
    expect(() => sandbox.addBreakpoint('total')).toThrow(/^a breakpoint needs code: 0x[0-9a-f]+ is in ELF segment 2 \(data\)$/);
    expect(() => sandbox.addBreakpoint('debuggee.c:99999')).toThrow(/^no code at or after line 99999 of \/.*\/debuggee\.c \(its last line with code is \d+\)$/);
    expect(() => sandbox.addBreakpoint('square', { condition: 'rax = 3' })).toThrow(
      "'rax = 3': column 5: '=' assigns, which an expression here can't; compare with '=='",
    );
    expect(() => sandbox.addBreakpoint('square', { condition: 'rzz == 3' })).toThrow(
      "'rzz == 3': column 1: nothing is named 'rzz' at square (no variable, function, enumerator or register)",
    );
    expect(sandbox.breakpoints()).toEqual([]); // neither was added
    expect(() => sandbox.addWatchpoint(0xfffffff0n, 32)).toThrow(UsageError);
    expect(() => sandbox.removeBreakpoint(12345)).toThrow('there is no breakpoint 12345');
    const session = await sandbox.debug('sum_squares', [1]);
    await expect(sandbox.call('sum_squares', 1)).rejects.toThrow(BusyError);
    await expect(sandbox.debug('sum_squares', [1])).rejects.toThrow('is being debugged: end it first');
    session.end();
    await expect(session.continue()).rejects.toThrow('no call is being debugged');
  });
});
