// Every message from a client is checked before the engine acts on it: random bytes,
// truncated messages, wrong types and out-of-range values each get an error reply with
// the request's id where it has one, and the engine serves a real call afterwards.
import type { ChildProcess } from 'node:child_process';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { startServe } from '../../../../native/node/tools/serve_process.js';

let server: ChildProcess;
let socket: WebSocket;
const replies: Record<string, unknown>[] = [];
let arrived: (() => void) | undefined;

beforeAll(async () => {
  const served = await startServe();
  server = served.server;
  socket = new WebSocket(`ws://${served.url.host}/ws?token=${served.url.searchParams.get('token')}`);
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as Record<string, unknown>;
    if (!('event' in message)) {
      replies.push(message);
      arrived?.();
    }
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
});
afterAll(() => {
  socket.close();
  server.kill();
});

/** The next `count` replies, once they have all come. */
async function repliesFor(count: number): Promise<Record<string, unknown>[]> {
  while (replies.length < count) await new Promise<void>((resolve) => (arrived = resolve));
  return replies.splice(0, count);
}

/** A deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('the engine process under bad messages', () => {
  it('answers each bad message with an error and stays up', async () => {
    const next = random(7);
    const good = JSON.stringify({ id: 1, method: 'memory.read', params: { address: '0x100000', length: 16 } });
    const messages: string[] = [];
    // Random bytes, and a good message cut short at every length.
    for (let i = 0; i < 200; i++)
      messages.push(Buffer.from(Array.from({ length: Math.floor(next() * 64) }, () => Math.floor(next() * 256))).toString('latin1'));
    for (let cut = 0; cut < good.length; cut++) messages.push(good.slice(0, cut));
    // Well-formed, with values no method takes.
    const bad: [string, unknown][] = [
      ['memory.read', { address: '0xffffffffffffffff', length: 16 }],
      ['memory.read', { address: '0x100000', length: -1 }],
      ['memory.read', { address: '0x100000', length: 1e12 }],
      ['memory.read', { address: 256, length: 1 }],
      ['memory.write', { address: '0x0', bytes: 'zz' }],
      ['memory.write', { address: '0xfffff0', bytes: '00'.repeat(64) }],
      ['call.run', { function: 'add', args: ['1'] }],
      ['call.run', { function: 'add', args: ['1', '99999999999999999999999'] }],
      ['call.run', { function: 'no_such', args: [] }],
      ['call.run', { function: 'add', args: Array(17).fill('1') }],
      ['profile.run', { function: 'add', args: ['1', '2'], mode: 'warm', iterations: 1e12 }],
      ['profile.run', { function: 'add', args: ['1', '2'], mode: 'warm' }],
      ['profile.run', { function: 'add', args: ['1', '2'], mode: 'sideways', iterations: 1 }],
      ['registers.set', { name: 'rip; rm -rf', value: '0x0' }],
      ['breakpoint.add', { location: '' }],
      ['breakpoint.remove', { id: -3 }],
      ['watchpoint.add', { location: '0x100000', length: 0, kind: 'write' }],
      ['snapshot.restore', { id: 99 }],
      ['snapshot.compare', { a: 1.5 }],
      ['code.disassemble', { location: 'fib', count: 100000 }],
      ['guest.load', { path: '/etc/passwd' }],
      ['guest.load', { bytes: '!!!', name: 'x' }],
      ['guest.load', { path: '/x', bytes: 'AAAA' }],
      ['guest.load', { bundled: 'etc/passwd' }],
      ['guest.load', { bundled: 'sqlite', path: '/x' }],
      ['debug.resume', { how: 'continue' }],
      ['trace.chrome', { extra: true }],
    ];
    bad.forEach(([method, params], i) => messages.push(JSON.stringify({ id: 1000 + i, method, params })));

    socket.send(JSON.stringify({ id: 1, method: 'guest.load', params: {} }));
    expect((await repliesFor(1))[0]).toMatchObject({ id: 1, ok: true });
    for (const message of messages) socket.send(message);
    const answered = await repliesFor(messages.length);
    expect(answered).toHaveLength(messages.length);
    for (const reply of answered) {
      expect(reply.ok, JSON.stringify(reply)).toBe(false);
      expect(String((reply.error as { message: string }).message).length).toBeGreaterThan(5);
    }
    // The well-formed ones are answered under their own ids.
    const byId = new Map(answered.map((r) => [r.id, r]));
    bad.forEach((_, i) => expect(byId.has(1000 + i), `reply to ${bad[i]![0]}`).toBe(true));
    expect((byId.get(1000) as { error: { kind: string } }).error.kind).toBe('memory');
    expect((byId.get(1001) as { error: { kind: string; message: string } }).error).toMatchObject({
      kind: 'protocol',
      message: expect.stringContaining('length'),
    });
    expect((byId.get(1020) as { error: { message: string } }).error.message).toMatch(/ELF/);

    socket.send(JSON.stringify({ id: 5000, method: 'guest.load', params: {} }));
    socket.send(JSON.stringify({ id: 5001, method: 'call.run', params: { function: 'add', args: ['40', '2'] } }));
    const [loaded, called] = await repliesFor(2);
    expect(loaded).toMatchObject({ id: 5000, ok: true });
    expect(called).toMatchObject({ id: 5001, ok: true, result: { value: '42' } });
  });
});
