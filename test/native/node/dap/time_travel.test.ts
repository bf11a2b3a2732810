// microscope dap with "record": true, end to end with Microsoft's DebugClient: stepBack at
// line and instruction granularity and reverseContinue, each stop's frames checked
// against the forward run's, and the end of the recording, from which the call goes back.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { testBackend } from '../../../helpers.js';
import { Adapter, demoLine, demoSource } from './adapter.js';

const source = { path: demoSource };

describe.skipIf(testBackend === 'kvm')('microscope dap: stepping back in a recorded call', () => {
  let adapter: Adapter;
  beforeEach(() => {
    adapter = Adapter.start();
  });
  afterEach(async () => {
    await adapter.stop();
  });

  it('reverse-continues to the breakpoint hits of the forward run, latest first, and steps back by line and instruction', async () => {
    const initialize = await adapter.launch({ guest: 'demo', function: 'fib', args: ['4'], stopOnEntry: true, record: true, backend: 'emulated' });
    expect(initialize.body?.supportsStepBack).toBe(true);
    await adapter.stopped(); // the entry
    await adapter.client.setBreakpointsRequest({ source, breakpoints: [{ line: demoLine('if (n < 2)') }] });
    const forward: string[][] = [];
    for (let i = 0; i < 4; i++) {
      await adapter.client.continueRequest({ threadId: 1 });
      const hit = await adapter.stopped();
      expect(hit.body.reason).toBe('breakpoint');
      forward.push(hit.frames.map((f) => f.name));
    }
    expect(forward.map((frames) => frames[0])).toEqual(['fib(n=3)', 'fib(n=2)', 'fib(n=1)', 'fib(n=0)']);
    for (const expected of forward.slice(0, 3).reverse()) {
      await adapter.client.reverseContinueRequest({ threadId: 1 });
      const back = await adapter.stopped();
      expect(back.body.reason).toBe('breakpoint');
      expect(back.frames.map((f) => f.name)).toEqual(expected);
    }
    // From fib(3)'s first line, a line back is the line of fib(4) that called it.
    await adapter.client.stepBackRequest({ threadId: 1 });
    const line = await adapter.stopped();
    expect(line.body.reason).toBe('step');
    expect(line.frames.map((f) => [f.name, f.line])).toEqual([['fib(n=4)', demoLine('uint64_t left')]]);
    // An instruction back from there is still in fib(4), one instruction before.
    const rip = BigInt(line.frames[0]!.instructionPointerReference!);
    await adapter.client.stepBackRequest({ threadId: 1, granularity: 'instruction' });
    const instruction = await adapter.stopped();
    expect(instruction.frames[0]!.name).toBe('fib(n=4)');
    expect(BigInt(instruction.frames[0]!.instructionPointerReference!)).toBeLessThan(rip);
  });

  it('stops at the end of the recording instead of exiting, and goes back from there', async () => {
    await adapter.launch({ guest: 'demo', function: 'fib', args: ['3'], stopOnEntry: false, record: true, backend: 'emulated' });
    const end = await adapter.stopped();
    expect(end.body.reason).toBe('end of recording');
    expect(end.body.description).toContain('fib has ended');
    await adapter.client.setBreakpointsRequest({ source, breakpoints: [{ line: demoLine('return left + right') }] });
    await adapter.client.reverseContinueRequest({ threadId: 1 });
    const last = await adapter.stopped();
    expect(last.body.reason).toBe('breakpoint');
    expect(last.frames.map((f) => f.name)).toEqual(['fib(n=3)']); // the last time it ran: the outermost call's
    await adapter.client.terminateRequest({});
    await adapter.next<DebugProtocol.TerminatedEvent>('terminated');
  });

  it('says how to step back in a call launched without recording', async () => {
    await adapter.launch({ guest: 'demo', function: 'fib', args: ['3'], stopOnEntry: true });
    await adapter.stopped();
    await expect(adapter.client.stepBackRequest({ threadId: 1 })).rejects.toThrow(/launch it with "record": true/);
  });
});
