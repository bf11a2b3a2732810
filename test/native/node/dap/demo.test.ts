// microscope dap on the demo guest (native/demo/demo.c), end to end: a real adapter process
// and Microsoft's DebugClient, every stop checked for its reason, frames and lines.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { Adapter, demoLine, demoSource } from './adapter.js';

const source = { path: demoSource };
const withoutArgs = (name: string) => name.replace(/\(.*\)$/, '');

describe('microscope dap: run control on the demo guest', () => {
  let adapter: Adapter;
  beforeEach(() => {
    adapter = Adapter.start();
  });
  afterEach(async () => {
    await adapter.stop();
  });

  it('stops at the entry, then steps by line: next, stepIn, stepOut', async () => {
    const initialize = await adapter.launch({ guest: 'demo', function: 'fib', args: ['3'], stopOnEntry: true });
    expect(initialize.body).toMatchObject({
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsFunctionBreakpoints: true,
      supportsDataBreakpoints: true,
      supportsSteppingGranularity: true,
      supportsDisassembleRequest: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportsExceptionInfoRequest: true,
      supportsSetVariable: true,
      supportsEvaluateForHovers: true,
    });
    const entry = await adapter.stopped();
    expect(entry.body.reason).toBe('entry');
    expect(entry.frames.map((f) => [f.name, f.line, f.source?.path])).toEqual([['fib(n=3)', demoLine('if (n < 2)'), demoSource]]);

    await adapter.client.nextRequest({ threadId: 1 });
    expect(await adapter.stopped()).toMatchObject({ body: { reason: 'step' }, frames: [{ line: demoLine('uint64_t left') }] });
    await adapter.client.stepInRequest({ threadId: 1 });
    const inside = await adapter.stopped();
    expect(inside.frames.map((f) => [f.name, f.line])).toEqual([
      ['fib(n=2)', demoLine('if (n < 2)')],
      ['fib(n=3)', demoLine('uint64_t left')],
    ]);
    await adapter.client.stepOutRequest({ threadId: 1 });
    // Back in fib(3) at the call's return address, the first instruction of `right = fib(n - 2)`.
    const out = await adapter.stopped();
    expect(out.frames.map((f) => [f.name, f.line])).toEqual([['fib(n=3)', demoLine('uint64_t right')]]);
    await adapter.client.nextRequest({ threadId: 1 });
    expect(await adapter.stoppedAt()).toEqual(['fib(n=3)', demoLine('return left + right')]);
    await adapter.client.continueRequest({ threadId: 1 });
    expect((await adapter.next<DebugProtocol.ExitedEvent>('exited')).body.exitCode).toBe(2);
  });

  it('steps one instruction at instruction granularity, and disassembles around it', async () => {
    await adapter.launch({ guest: 'demo', function: 'fib', args: ['3'], stopOnEntry: true });
    const entry = await adapter.stopped();
    const rip = entry.frames[0]!.instructionPointerReference!;
    const listing = await adapter.client.disassembleRequest({ memoryReference: rip, instructionOffset: 0, instructionCount: 3 });
    const [first, second, third] = listing.body!.instructions;
    expect(first!.address).toBe(rip);
    const size = (instruction: DebugProtocol.DisassembledInstruction) => BigInt(instruction.instructionBytes!.length / 2);
    expect(BigInt(second!.address)).toBe(BigInt(rip) + size(first!));
    expect(BigInt(third!.address)).toBe(BigInt(second!.address) + size(second!));
    expect(first).toMatchObject({ symbol: 'fib', line: demoLine('if (n < 2)'), location: { path: demoSource } });

    // Two before the entry: the end of add's SDK thunk (fib's neighbour), then the padding up to fib.
    const around = await adapter.client.disassembleRequest({ memoryReference: rip, instructionOffset: -2, instructionCount: 3 });
    const [before1, before2, at] = around.body!.instructions;
    expect([before1!.symbol, before1!.instruction.split(' ')[0], before2!.instruction.split(' ')[0]]).toEqual(['ms__thunk_add+0x8', 'jmp', 'nop']);
    expect(BigInt(before1!.address) + size(before1!)).toBe(BigInt(before2!.address));
    expect(BigInt(before2!.address) + size(before2!)).toBe(BigInt(rip));
    expect(at).toEqual(first);

    await adapter.client.stepInRequest({ threadId: 1, granularity: 'instruction' });
    const step = await adapter.stopped();
    expect(step.body.reason).toBe('step');
    expect(step.frames[0]!.instructionPointerReference).toBe(second!.address);
    await adapter.client.nextRequest({ threadId: 1, granularity: 'instruction' });
    expect((await adapter.stopped()).frames[0]!.instructionPointerReference).toBe(third!.address);
    await adapter.client.continueRequest({ threadId: 1 });
    await adapter.next('exited');
  });

  it('verifies breakpoints, moving one from a line without code to the next line with code, and stops at functions', async () => {
    const noCode = demoLine('w[i] = w[i - 16] + s0') + 1; // the second loop's closing brace
    const loop = demoLine('uint32_t a = state[0]');
    let lines: DebugProtocol.Breakpoint[] = [];
    let functions: DebugProtocol.Breakpoint[] = [];
    await adapter.launch({ guest: 'demo', function: 'sha256', args: ['616263'] }, async () => {
      lines = (await adapter.client.setBreakpointsRequest({ source, breakpoints: [{ line: noCode }, { line: 10_000 }] })).body.breakpoints;
      functions = (await adapter.client.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'sha256_block' }, { name: 'no_such_function' }] })).body
        .breakpoints;
    });
    expect(lines[0]).toMatchObject({
      verified: true,
      line: loop,
      message: `line ${noCode} has no code: the breakpoint is on line ${loop}, the next line that has`,
    });
    expect(lines[1]!.verified).toBe(false);
    expect(lines[1]!.message).toMatch(/10000/);
    // The function's first instruction is the first statement of its loop's body.
    const blockEntry = demoLine('w[i] = (uint32_t)block[4 * i]');
    expect(functions[0]).toMatchObject({ verified: true, line: blockEntry, source: { path: demoSource } });
    expect(functions[1]).toMatchObject({ verified: false, message: "the guest has no symbol 'no_such_function'" });

    const atFunction = await adapter.stopped();
    expect(atFunction.body).toMatchObject({ reason: 'function breakpoint', hitBreakpointIds: [functions[0]!.id] });
    expect(atFunction.frames.map((f) => [withoutArgs(f.name), f.line])).toEqual([
      ['sha256_block', blockEntry],
      ['sha256', demoLine('for (uint64_t i = 0; i < blocks; ++i)')],
      ['ms__thunk_sha256', demoLine('MICROSCOPE_FN(bytes, sha256')],
    ]);
    await adapter.client.continueRequest({ threadId: 1 });
    const atLine = await adapter.stopped();
    expect(atLine.body).toMatchObject({ reason: 'breakpoint', hitBreakpointIds: [lines[0]!.id] });
    expect(atLine.frames.map((f) => [withoutArgs(f.name), f.line])[0]).toEqual(['sha256_block', loop]);
    await adapter.client.continueRequest({ threadId: 1 });
    expect(await adapter.outputs(1)).toEqual([['console', 'sha256 returned ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n']]);
    await adapter.next('exited');
  });

  it('stops in a recursion only where its condition holds, with each frame named and at its line', async () => {
    await adapter.launch({ guest: 'demo', function: 'fib', args: ['3'] }, () =>
      adapter.client.setBreakpointsRequest({ source, breakpoints: [{ line: demoLine('if (n < 2)'), condition: 'n == 0' }] }),
    );
    const stop = await adapter.stopped();
    expect(stop.body.reason).toBe('breakpoint');
    // fib(3) -> fib(2) -> fib(0): each caller at the line of its call.
    expect(stop.frames.map((f) => [f.name, f.line])).toEqual([
      ['fib(n=0)', demoLine('if (n < 2)')],
      ['fib(n=2)', demoLine('uint64_t right')],
      ['fib(n=3)', demoLine('uint64_t left')],
    ]);
    await adapter.client.continueRequest({ threadId: 1 });
    expect((await adapter.next<DebugProtocol.ExitedEvent>('exited')).body.exitCode).toBe(2);
    expect(adapter.pending('stopped')).toEqual([]);
  });

  it('stops from the hit a hit count names on, and only where an exact one says', async () => {
    const line = demoLine('return left + right');
    await adapter.launch({ guest: 'demo', function: 'fib', args: ['4'] }, () =>
      adapter.client.setBreakpointsRequest({ source, breakpoints: [{ line, hitCondition: '3' }] }),
    );
    // The line's hits, in order: fib(2) in fib(3), fib(3), fib(2) in fib(4), fib(4).
    expect((await adapter.stopped()).frames.map((f) => [f.name, f.line])).toEqual([
      ['fib(n=2)', line],
      ['fib(n=4)', demoLine('uint64_t right')],
    ]);
    await adapter.client.setBreakpointsRequest({ source, breakpoints: [{ line, hitCondition: '== 1' }] }); // a new breakpoint counts from 0
    await adapter.client.continueRequest({ threadId: 1 });
    expect((await adapter.stopped()).frames.map((f) => [f.name, f.line])).toEqual([['fib(n=4)', line]]);
    await adapter.client.continueRequest({ threadId: 1 });
    expect((await adapter.next<DebugProtocol.ExitedEvent>('exited')).body.exitCode).toBe(3);
    expect(adapter.pending('stopped')).toEqual([]);
  });

  it('prints a logpoint message as output, with its expressions, without stopping', async () => {
    await adapter.launch({ guest: 'demo', function: 'fib', args: ['4'] }, () =>
      adapter.client.setBreakpointsRequest({ source, breakpoints: [{ line: demoLine('return left + right'), logMessage: 'fib({n}) = {left + right}' }] }),
    );
    expect(await adapter.outputs(5)).toEqual([
      ['console', 'fib(2) = 1\n'],
      ['console', 'fib(3) = 2\n'],
      ['console', 'fib(2) = 1\n'],
      ['console', 'fib(4) = 3\n'],
      ['console', 'fib returned 3\n'],
    ]);
    expect((await adapter.next<DebugProtocol.ExitedEvent>('exited')).body.exitCode).toBe(3);
    expect(adapter.pending('stopped')).toEqual([]);
  });
});

describe('microscope dap: memory, faults and the end of a call on the demo guest', () => {
  let adapter: Adapter;
  beforeEach(() => {
    adapter = Adapter.start();
  });
  afterEach(async () => {
    await adapter.stop();
  });

  it('stops after a write to a watched global, and reads and writes the memory it points to', async () => {
    await adapter.launch({ guest: 'demo', function: 'greet', args: ['Ann'], stopOnEntry: true });
    await adapter.stopped();
    const info = await adapter.client.dataBreakpointInfoRequest({ name: 'greeting' });
    expect(info.body.dataId).toMatch(/^0x[0-9a-f]+\/8$/);
    expect(info.body.accessTypes).toContain('write');
    const [watch] = (await adapter.client.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] })).body.breakpoints;
    expect(watch!.verified).toBe(true);
    const greetingAddress = info.body.dataId!.split('/')[0]!;

    await adapter.client.continueRequest({ threadId: 1 });
    const stop = await adapter.stopped();
    expect(stop.body).toMatchObject({ reason: 'data breakpoint', hitBreakpointIds: [watch!.id] });
    // Stopped after `greeting = ms_alloc(...)`, the first write.
    expect(stop.frames[0]!.line).toBe(demoLine('if (!greeting)'));
    const pointer = await adapter.client.customRequest('readMemory', { memoryReference: greetingAddress, count: 8 });
    const address = Buffer.from(pointer.body.data, 'base64').readBigUInt64LE(0);
    expect(address).toBeGreaterThan(0n);
    expect(stop.body.text).toBe(`write at ${greetingAddress}: 0000000000000000 → ${Buffer.from(pointer.body.data, 'base64').toString('hex')}`);

    await adapter.client.setDataBreakpointsRequest({ breakpoints: [] });
    await adapter.client.setBreakpointsRequest({ source, breakpoints: [{ line: demoLine('ms_print(greeting)') }] });
    await adapter.client.continueRequest({ threadId: 1 });
    await adapter.stopped();
    const text = await adapter.client.customRequest('readMemory', { memoryReference: `0x${address.toString(16)}`, count: 12 });
    expect(text.body).toMatchObject({ address: `0x${address.toString(16)}`, unreadableBytes: 0 });
    expect(Buffer.from(text.body.data, 'base64').toString('latin1')).toBe('Hello, Ann!\0');
    const written = await adapter.client.customRequest('writeMemory', {
      memoryReference: `0x${address.toString(16)}`,
      offset: 7,
      data: Buffer.from('J').toString('base64'),
    });
    expect(written.body.bytesWritten).toBe(1);
    // Past the end of guest memory: what is there, then the count it couldn't read.
    const edge = await adapter.client.customRequest('readMemory', { memoryReference: '0xfffff0', count: 32 });
    expect(edge.body).toMatchObject({ address: '0xfffff0', unreadableBytes: 16 });
    expect(Buffer.from(edge.body.data, 'base64')).toHaveLength(16);

    await adapter.client.continueRequest({ threadId: 1 });
    expect(await adapter.outputs(2)).toEqual([
      ['stdout', 'Hello, Jnn!'],
      ['console', 'greet returned Hello, Jnn!\n'],
    ]);
    expect((await adapter.next<DebugProtocol.ExitedEvent>('exited')).body.exitCode).toBe(0);
  });

  it('pauses at a fault as an exception, names its vector, and ends the call with it', async () => {
    await adapter.launch({ guest: 'demo', function: 'crash_null' });
    const stop = await adapter.stopped();
    expect(stop.body).toMatchObject({ reason: 'exception', text: 'page fault' });
    expect(stop.frames.map((f) => [f.name, f.line])).toEqual([['crash_null()', demoLine('return *null;')]]);
    const info = await adapter.client.exceptionInfoRequest({ threadId: 1 });
    expect(info.body).toEqual({
      exceptionId: '#PF',
      description: 'page fault (#PF, vector 14) at 0x100482 (crash_null+0x2), CR2 0x0',
      breakMode: 'always',
      details: {
        message: '#PF at 0x100482 (crash_null+0x2), CR2 0x0',
        typeName: 'page fault',
        fullTypeName: '#PF',
        stackTrace: `crash_null+0x2 at ${demoSource}:${demoLine('return *null;')}`,
      },
    });
    await adapter.client.continueRequest({ threadId: 1 });
    expect(await adapter.outputs(1)).toEqual([['stderr', 'crash_null failed: fault: #PF at 0x100482 (crash_null+0x2), CR2 0x0\n']]);
    expect((await adapter.next<DebugProtocol.ExitedEvent>('exited')).body.exitCode).toBe(1);
    await adapter.next('terminated');
  });

  it("exits with the value's low 8 bits, and the whole value in the output", async () => {
    await adapter.launch({ guest: 'demo', function: 'add', args: ['300', '0x5'] });
    expect(adapter.launched).toBe('add(300, 0x5) is paused at its entry, on the emulated backend\n');
    expect(await adapter.outputs(1)).toEqual([['console', 'add returned 305\n']]);
    expect((await adapter.next<DebugProtocol.ExitedEvent>('exited')).body.exitCode).toBe(305 & 0xff);
    await adapter.next('terminated');
  });

  it('restarts the call from its entry, with the same or new arguments', async () => {
    const launch = { guest: 'demo', function: 'fib', args: ['5'], stopOnEntry: true };
    await adapter.launch(launch);
    await adapter.stopped();
    await adapter.client.nextRequest({ threadId: 1 });
    expect(await adapter.stoppedAt()).toEqual(['fib(n=5)', demoLine('uint64_t left')]);
    await adapter.client.restartRequest({});
    expect(await adapter.stopped()).toMatchObject({ body: { reason: 'entry' }, frames: [{ name: 'fib(n=5)', line: demoLine('if (n < 2)') }] });
    await adapter.client.restartRequest({ arguments: { ...launch, args: ['6'] } as DebugProtocol.LaunchRequestArguments });
    expect(await adapter.stoppedAt()).toEqual(['fib(n=6)', demoLine('if (n < 2)')]);
    await adapter.client.continueRequest({ threadId: 1 });
    expect((await adapter.next<DebugProtocol.ExitedEvent>('exited')).body.exitCode).toBe(8);
    // After the end, a restart starts the call again.
    await adapter.client.restartRequest({});
    expect(await adapter.stoppedAt()).toEqual(['fib(n=6)', demoLine('if (n < 2)')]);
  });

  it('pauses a guest that spins, then terminates it', async () => {
    await adapter.launch({ guest: 'demo', function: 'spin' });
    await adapter.client.pauseRequest({ threadId: 1 });
    const stop = await adapter.stopped();
    expect(stop.body.reason).toBe('pause');
    expect(stop.frames.map((f) => [f.name, f.line])).toEqual([['spin()', demoLine('for (;;) __asm__ volatile("pause")')]]);
    await adapter.client.terminateRequest({});
    await adapter.next('terminated');
    expect(adapter.pending('exited')).toEqual([]);
    await expect(adapter.client.stackTraceRequest({ threadId: 1 })).rejects.toThrow('spin has ended: restart it to look inside');
  });
});

describe('microscope dap: variables, registers and expressions on the demo guest', () => {
  let adapter: Adapter;
  beforeEach(() => {
    adapter = Adapter.start();
  });
  afterEach(async () => {
    await adapter.stop();
  });

  it('shows the registers of the running frame and changes one', async () => {
    await adapter.launch({ guest: 'demo', function: 'fib', args: ['3'], stopOnEntry: true });
    const { frames } = await adapter.stopped();
    const scopes = (await adapter.client.scopesRequest({ frameId: frames[0]!.id })).body.scopes;
    const registers = scopes.find((scope) => scope.name === 'Registers')!;
    const variables = (await adapter.client.variablesRequest({ variablesReference: registers.variablesReference })).body.variables;
    expect(variables.find((v) => v.name === 'rdi')).toMatchObject({ value: '0x3', evaluateName: '$rdi' });
    expect(variables.find((v) => v.name === 'rip')!.value).toBe(frames[0]!.instructionPointerReference);
    const set = await adapter.client.setVariableRequest({ variablesReference: registers.variablesReference, name: 'rdi', value: '7' });
    expect(set.body.value).toBe('0x7');
    expect((await adapter.client.evaluateRequest({ expression: '$rdi', frameId: frames[0]!.id, context: 'watch' })).body.result).toBe('7');
    await adapter.client.continueRequest({ threadId: 1 });
    expect((await adapter.next<DebugProtocol.ExitedEvent>('exited')).body.exitCode).toBe(13); // fib(7)
  });

  it("shows each frame's arguments and locals, evaluates C and sets a variable", async () => {
    await adapter.launch({ guest: 'demo', function: 'fib', args: ['3'] }, () =>
      adapter.client.setBreakpointsRequest({ source, breakpoints: [{ line: demoLine('if (n < 2)'), condition: 'n == 1' }] }),
    );
    const { frames } = await adapter.stopped();
    expect(frames.map((f) => f.name)).toEqual(['fib(n=1)', 'fib(n=2)', 'fib(n=3)']);
    const scopes = (await adapter.client.scopesRequest({ frameId: frames[1]!.id })).body.scopes;
    expect(scopes.map((s) => s.name)).toEqual(['Arguments', 'Locals', 'Globals', 'Registers']);
    const args = (await adapter.client.variablesRequest({ variablesReference: scopes[0]!.variablesReference })).body.variables;
    expect(args.map((v) => [v.name, v.value])).toEqual([['n', '2']]);
    for (const context of ['watch', 'hover', 'repl']) {
      expect((await adapter.client.evaluateRequest({ expression: 'n * 10 + 1', frameId: frames[2]!.id, context })).body.result).toBe('31');
    }
    await expect(adapter.client.evaluateRequest({ expression: 'n +', frameId: frames[0]!.id, context: 'repl' })).rejects.toThrow();

    // The first fib(1) returns 0 instead of 1: fib(2) = 0 + fib(0), fib(3) = fib(2) + fib(1) = 1.
    const top = (await adapter.client.scopesRequest({ frameId: frames[0]!.id })).body.scopes[0]!;
    await adapter.client.variablesRequest({ variablesReference: top.variablesReference });
    const set = await adapter.client.setVariableRequest({ variablesReference: top.variablesReference, name: 'n', value: 'n - 1' });
    expect(set.body.value).toBe('0');
    expect((await adapter.client.evaluateRequest({ expression: 'n', frameId: frames[0]!.id, context: 'hover' })).body.result).toBe('0');
    await adapter.client.continueRequest({ threadId: 1 });
    expect((await adapter.stopped()).frames.map((f) => f.name)).toEqual(['fib(n=1)', 'fib(n=3)']);
    await adapter.client.continueRequest({ threadId: 1 });
    expect((await adapter.next<DebugProtocol.ExitedEvent>('exited')).body.exitCode).toBe(1);
  });
});
