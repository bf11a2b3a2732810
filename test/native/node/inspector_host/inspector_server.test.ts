// Browser mode as a browser sees it (`microscope serve`): the URL on stdout's first line,
// the WebSocket that refuses a wrong token, loopback only, the protocol's requests against
// the real engine process, and an engine killed from outside and restarted with its guest
// and breakpoints.
import type { ChildProcess } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { connect } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import type { Method, Results, WireError } from '../../../../native/common/protocol/messages.js';
import { startServe } from '../../../../native/node/tools/serve_process.js';

let server: ChildProcess;
let url: URL;

beforeAll(async () => {
  ({ server, url } = await startServe());
});
afterAll(() => server.kill());

/**
 * A response as a test reads it, both of its forms in one, typed by the protocol where the
 * method is one of its own (the test asserts which form came).
 */
type Answer<M extends string> = { id: number; ok: boolean; error: WireError } & (M extends Method ? { result: Results[M] } : { result?: undefined });

/** A protocol client: request() resolves to the response with its id; events are kept. */
class Client {
  readonly socket: WebSocket;
  readonly events: Record<string, unknown>[] = [];
  #nextId = 1;
  readonly #waiting = new Map<number, (response: Record<string, unknown>) => void>();

  constructor(token: string) {
    this.socket = new WebSocket(`ws://${url.host}/ws?token=${token}`);
    this.socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      if ('event' in message) this.events.push(message);
      else this.#waiting.get(message.id as number)?.(message);
    });
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
  }

  request<M extends string>(method: M, params: unknown = {}): Promise<Answer<M>> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#waiting.set(id, (response) => resolve(response as Answer<M>));
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** The first event, kept or to come, that passes `test`. */
  event(test: (event: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    const found = this.events.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const listener = (data: WebSocket.RawData) => {
        const message = JSON.parse(data.toString()) as Record<string, unknown>;
        if (!('event' in message) || !test(message)) return;
        this.socket.off('message', listener);
        resolve(message);
      };
      this.socket.on('message', listener);
    });
  }
}

describe('microscope serve', () => {
  it('prints the URL to open first: loopback, with a 128-bit token', () => {
    expect(url.protocol).toBe('http:');
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.searchParams.get('token')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses a WebSocket without the right token', async () => {
    for (const token of ['', '0'.repeat(32), url.searchParams.get('token')!.slice(1)]) {
      const status = await new Promise<number>((resolve) => {
        const socket = new WebSocket(`ws://${url.host}/ws?token=${token}`);
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('open', () => resolve(101));
        socket.on('error', () => undefined);
      });
      expect(status).toBe(401);
    }
  });

  it('listens on loopback only', async () => {
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    expect(outside, 'this machine has no address but loopback to try').toBeDefined();
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(Number(url.port), outside!.address);
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('serves the protocol: a guest, a call, a fault, a breakpoint stop, and bad requests', async () => {
    const client = new Client(url.searchParams.get('token')!);
    await client.opened();
    const loaded = await client.request('guest.load', {});
    expect(loaded.ok).toBe(true);
    expect(loaded.result.functions.map((f: { name: string }) => f.name)).toContain('add');
    expect(await client.request('call.run', { function: 'add', args: ['2', '3'] })).toMatchObject({ ok: true, result: { ok: true, value: '5', type: 'i64' } });
    const crash = await client.request('call.run', { function: 'crash_null', args: [] });
    expect(crash.result).toMatchObject({ ok: false, error: { kind: 'fault', vector: '#PF', cr2: '0x0' } });
    expect(crash.result.error?.symbol).toMatch(/^crash_null/);

    const breakpoint = await client.request('breakpoint.add', { location: 'fib' });
    expect(breakpoint.result).toMatchObject({ id: 1, location: 'fib', enabled: true, hits: 0 });
    const entry = await client.request('debug.start', { function: 'fib', args: ['5'] });
    expect(entry.result).toMatchObject({ reason: 'entry', symbol: 'fib' });
    const stop = await client.request('debug.resume', { how: 'continue' });
    expect(stop.result).toMatchObject({ reason: 'breakpoint', breakpoint: 1, symbol: 'fib' });
    expect(stop.result.registers.values.rdi).toBe('0x4');
    expect(stop.result.registers.values.rip).toBe(breakpoint.result.address);
    await client.request('debug.end');

    expect(await client.request('no.such')).toMatchObject({ ok: false, error: { kind: 'protocol', message: "there is no method 'no.such'" } });
    expect(await client.request('memory.read', { address: 'zz', length: 4 })).toMatchObject({
      ok: false,
      error: { kind: 'protocol', message: 'memory.read: address: a 0x-hex number' },
    });
    expect(await client.request('memory.read', { address: '0xfffffff0', length: 64 })).toMatchObject({ ok: false, error: { kind: 'memory' } });
    const refusal = new Promise((resolve) => client.socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
    client.socket.send('[1, 2]');
    expect(await refusal).toEqual({ id: -1, ok: false, error: { kind: 'protocol', message: 'a message must be a JSON object' } });
    client.socket.close();
  });

  it('tells when the engine dies, and restarts it with the same guest, breakpoints and watchpoints', async () => {
    const client = new Client(url.searchParams.get('token')!);
    await client.opened();
    const off = await client.request('breakpoint.add', { location: 'add', condition: 'rdi == 7' });
    expect((await client.request('breakpoint.enable', { id: off.result.id, enabled: false })).ok).toBe(true);
    const watch = await client.request('watchpoint.add', { location: '0x200010', length: 8, kind: 'access' });
    expect(watch.result).toMatchObject({ address: '0x200010', length: 8, kind: 'access', enabled: true });
    const running = await client.event((e) => e.event === 'engine' && e.state === 'running');
    process.kill(running.pid as number, 'SIGKILL');
    const stopped = await client.event((e) => e.event === 'engine' && e.state === 'stopped');
    expect(stopped.detail).toBe('killed by SIGKILL');
    expect(await client.request('guest.info')).toMatchObject({ ok: false, error: { kind: 'engine' } });
    const restarted = await client.request('engine.restart');
    expect(restarted.ok).toBe(true);
    expect(restarted.result?.functions.map((f) => f.name)).toContain('fib');
    const breakpoints = await client.request('breakpoint.list');
    expect(breakpoints.result).toEqual([
      expect.objectContaining({ location: 'fib', enabled: true }),
      expect.objectContaining({ location: 'add', condition: 'rdi == 7', enabled: false }),
    ]);
    const watchpoints = await client.request('watchpoint.list');
    expect(watchpoints.result).toEqual([expect.objectContaining({ address: '0x200010', length: 8, kind: 'access', enabled: true })]);
    expect(await client.request('call.run', { function: 'add', args: ['40', '2'] })).toMatchObject({ result: { value: '42' } });
    client.socket.close();
  });
});
