// Call traces through the Node API and their Chrome Trace Event export, on the demo: the
// recursion of fib, a host call, a failing call. (The same traces are checked on KVM by
// the conformance suite in `npm run test:kvm`.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GuestFault, Sandbox, toChromeTrace, type TraceEvent } from '../../../../native/node/api/index.js';
import { demoGuestPath } from '../../../helpers.js';

/** How many times fib(n) calls fib, counting itself. */
function fibCalls(n: number): number {
  return n < 2 ? 1 : 1 + fibCalls(n - 1) + fibCalls(n - 2);
}

/** Checks each event lies inside the function around it (by depth); returns each function event's children. */
function nest(events: TraceEvent[]): Map<TraceEvent, TraceEvent[]> {
  const children = new Map<TraceEvent, TraceEvent[]>();
  const open: TraceEvent[] = [];
  for (const event of events) {
    open.length = Math.min(open.length, event.depth);
    expect(open).toHaveLength(event.depth);
    const parent = open.at(-1);
    if (parent) {
      expect(event.startNs).toBeGreaterThanOrEqual(parent.startNs);
      expect(event.startNs + event.durationNs).toBeLessThanOrEqual(parent.startNs + parent.durationNs);
      children.get(parent)!.push(event);
    }
    if (event.kind === 'function') {
      children.set(event, []);
      open.push(event);
    }
  }
  return children;
}

describe('call traces', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.create(demoGuestPath);
  });
  afterAll(() => sandbox.dispose());

  it('hold every call of a recursion, nested as it ran', async () => {
    const trace = await sandbox.trace('fib', [10]);
    expect(trace.value).toBe(55n);
    const fibs = trace.events.filter((e) => e.kind === 'function' && e.name === 'fib');
    expect(fibs).toHaveLength(fibCalls(10)); // 177
    expect(fibCalls(10)).toBe(177);
    expect(fibs.every((e) => e.address === sandbox.resolve('fib'))).toBe(true);
    const children = nest(trace.events);
    // The tree is fib's: fib(n) for n >= 2 calls fib twice, fib(0) and fib(1) not at all.
    const root = fibs[0]!;
    expect(root.depth).toBe(0);
    const sizes = (event: TraceEvent): number =>
      1 +
      children
        .get(event)!
        .filter((c) => c.kind === 'function')
        .reduce((sum, c) => sum + sizes(c), 0);
    expect(sizes(root)).toBe(177);
    expect(Math.max(...fibs.map((e) => e.depth))).toBe(9);
    expect(trace.events.filter((e) => e.kind === 'exit').map((e) => e.name)).toEqual(['hlt']);
  });

  it("name each function's arguments as it was entered, from DWARF", async () => {
    const trace = await sandbox.trace('fib', [4]);
    // fib(4) calls fib(3) (which calls fib(2), fib(1)), then fib(2): depth first, in order.
    const labels = trace.events.filter((e) => e.kind === 'function').map((e) => `${e.name}(${e.arguments})`);
    expect(labels).toEqual(['fib(n=4)', 'fib(n=3)', 'fib(n=2)', 'fib(n=1)', 'fib(n=0)', 'fib(n=1)', 'fib(n=2)', 'fib(n=1)', 'fib(n=0)']);
    expect(trace.restoreNs).toBeGreaterThan(0);
    expect(trace.restoreNs).toBeLessThanOrEqual(trace.events[0]!.startNs);
    const greet = await sandbox.trace('greet', ['Ann']);
    expect(greet.events.find((e) => e.name === 'greet')?.arguments).toMatch(/^name=0x[0-9a-f]+ "Ann"$/);
  });

  it('hold host calls with their arguments, and the exits they take', async () => {
    const trace = await sandbox.trace('greet', ['Ann']);
    expect(trace.value).toBe('Hello, Ann!');
    expect(trace.output).toBe('Hello, Ann!');
    const host = trace.events.filter((e) => e.kind === 'host');
    expect(host).toEqual([expect.objectContaining({ name: 'print', args: ['Hello, Ann!'], result: undefined })]);
    expect(host[0]!.durationNs).toBeGreaterThanOrEqual(0);
    expect(trace.events.filter((e) => e.kind === 'exit').map((e) => e.name)).toEqual(['out 0x6d00', 'hlt']);
    nest(trace.events);
    // print was called from inside greet (through the SDK's ms_print).
    const greet = trace.events.find((e) => e.name === 'greet')!;
    expect(host[0]!.startNs).toBeGreaterThan(greet.startNs);
    expect(host[0]!.depth).toBeGreaterThan(greet.depth);
  });

  it('end with the failure of a failing call, its functions closed', async () => {
    const trace = await sandbox.trace('crash_null');
    expect(trace.error).toBeInstanceOf(GuestFault);
    expect((trace.error as GuestFault).vector).toBe('#PF');
    const crash = trace.events.find((e) => e.name === 'crash_null')!;
    expect(crash.durationNs).toBeGreaterThanOrEqual(0);
    expect(trace.events.filter((e) => e.kind === 'exit').map((e) => e.name)).toEqual(['fault']);
  });

  it('export as Chrome Trace Event JSON: complete events in microseconds, exits as instants', async () => {
    const trace = await sandbox.trace('greet', ['Bo']);
    const chrome = toChromeTrace(trace, 'greet(Bo)');
    expect(chrome.displayTimeUnit).toBe('ns');
    expect(chrome.otherData).toEqual({ call: 'greet(Bo)', backend: sandbox.backend, outcome: 'Hello, Bo!' });
    const functions = trace.events.filter((e) => e.kind === 'function');
    expect(chrome.traceEvents.filter((e) => e.cat === 'guest')).toHaveLength(functions.length);
    const greet = chrome.traceEvents.find((e) => e.name === 'greet')!;
    const event = functions.find((e) => e.name === 'greet')!;
    expect(greet).toEqual({
      name: 'greet',
      cat: 'guest',
      ph: 'X',
      ts: event.startNs / 1000,
      dur: event.durationNs / 1000,
      pid: 1,
      tid: 1,
      args: { address: `0x${sandbox.resolve('greet').toString(16)}` },
    });
    expect(chrome.traceEvents.find((e) => e.cat === 'host')).toMatchObject({ name: 'print', ph: 'X', args: { arguments: ['Hello, Bo!'] } });
    expect(chrome.traceEvents.filter((e) => e.ph === 'i').map((e) => [e.name, e.s])).toEqual([
      ['out 0x6d00', 't'],
      ['hlt', 't'],
    ]);
    expect(JSON.parse(JSON.stringify(chrome))).toEqual(chrome);
  });
});
