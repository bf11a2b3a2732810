// The GDB stub, driven by the system's real gdb in batch mode against `microscope gdb`
// (native/node/cli/commands/gdb.ts): breakpoints, backtraces, registers, memory, stepi,
// finish, a watchpoint on a global, a fault, and the exit with the function's value. On
// KVM the same sessions run inside `npm run test:kvm` (test/kvm/gdb.test.ts).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { demoGuestPath, projectRoot, testBackend, testGuest } from '../../../../helpers.js';
import { gdbArguments, type GdbSession, gdbSessions } from './sessions.js';

let stub: ChildProcess | undefined;
afterEach(() => stub?.kill());

const elfOf = (guest: string) => (guest === 'demo' ? demoGuestPath : testGuest(guest));

/** Starts `microscope gdb` on a free port; resolves to the port and the stub's output. */
async function startStub(session: Pick<GdbSession, 'guest' | 'call'>, ...options: string[]) {
  stub = spawn(process.execPath, [
    join(projectRoot, 'dist/native/node/cli/main.js'),
    'gdb',
    elfOf(session.guest),
    ...session.call,
    '--port',
    '0',
    '--backend',
    testBackend,
    ...options,
  ]);
  const output = { stdout: '', stderr: '' };
  stub.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => stub!.on('exit', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    stub!.stderr!.on('data', (chunk: Buffer) => {
      output.stderr += chunk.toString();
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(output.stderr);
      if (match) resolve(Number(match[1]));
    });
    stub!.on('exit', () => reject(new Error(`the stub exited: ${output.stderr}`)));
  });
  return { port, output, exited };
}

/** The session's commands run by gdb in batch mode against a stub started with `options`; then its checks. */
async function runSession(session: GdbSession): Promise<void> {
  const { port, output, exited } = await startStub(session, ...(session.options ?? []));
  const result = spawnSync('gdb', gdbArguments(session, `127.0.0.1:${port}`, elfOf(session.guest)), {
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(result.error).toBeUndefined();
  const status = await exited;
  session.check(result.stdout + result.stderr, output.stdout, status);
}

describe('microscope gdb, with the real gdb', () => {
  for (const session of gdbSessions) {
    it(`${session.call.join(' ')}: ${session.commands.join(', ')}`, () => runSession(session));
  }
});

/** What a port probe or a health check does: connect, say nothing, close. */
function probe(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end());
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}

function gdb(port: number, commands: string[]) {
  const session = { guest: 'demo', call: ['fib', '10'], commands, check: () => undefined };
  const result = spawnSync('gdb', gdbArguments(session, `127.0.0.1:${port}`, demoGuestPath), { encoding: 'utf8', timeout: 120_000 });
  expect(result.error).toBeUndefined();
  return result.stdout + result.stderr;
}

describe('microscope gdb keeps listening, as gdbserver does', () => {
  const fib = { guest: 'demo', call: ['fib', '10'] };

  it('after a bare connect and close, and after a gdb detaches: the next gdb finds the call where it was', async () => {
    const { port, output, exited } = await startStub(fib);
    await probe(port);
    await probe(port);
    const first = gdb(port, ['break fib', 'continue', 'detach']);
    expect(first).toMatch(/Breakpoint 1, fib \(n=n@entry=9\) at demo\/demo\.c:\d+/);
    expect(first).toMatch(/Detaching from program|detached/i);
    // The second gdb: fib(9) is where the first left it, its breakpoint gone with it.
    const second = gdb(port, ['bt 1', 'continue']);
    expect(second).toMatch(/^#0 +fib \(n=n@entry=9\) at demo\/demo\.c:\d+/m);
    expect(second).not.toContain('Breakpoint 1,');
    expect(second).toContain('[Inferior 1 (Remote target) exited with code 067]'); // 55
    expect(await exited).toBe(0);
    expect(output.stdout).toBe('55\n');
  });

  it('with --once, ends with its first connection: no value, exit status 1', async () => {
    const { port, output, exited } = await startStub(fib, '--once');
    await probe(port);
    expect(await exited).toBe(1);
    expect(output.stdout).toBe('');
    expect(output.stderr).toContain('gdb: the connection closed before fib returned (--once)');
  });

  it('exits 1 when gdb kills the call', async () => {
    const { port, output, exited } = await startStub(fib);
    gdb(port, ['kill']);
    expect(await exited).toBe(1);
    expect(output.stdout).toBe('');
    expect(output.stderr).toContain('gdb: gdb killed the call before fib returned');
  });
});

// A recorded call (--record): gdb's reverse line commands, made of the stub's bs and bc,
// each checked against where the forward run was (and reverseSession, in sessions.ts).
describe('microscope gdb --record, with the real gdb going backwards', () => {
  const lines: GdbSession = {
    guest: 'time_travel',
    call: ['fib_of', '6'],
    commands: [
      'break fib',
      'continue',
      'continue',
      'delete',
      'next',
      'next',
      'reverse-next',
      'reverse-next',
      'reverse-step',
      'bt 2',
      'reverse-finish',
      'bt 1',
      'kill',
    ],
    check(text) {
      const shown = [...text.matchAll(/^(?:0x[0-9a-f]+\s+)?(\d+)\t/gm)].map((m) => Number(m[1]));
      // fib(5) entered at line 10; next, next: 11, 12; back: 11, fib's prologue (9), its first instruction (10).
      expect(shown.slice(0, 8)).toEqual([15, 10, 10, 11, 12, 11, 9, 10]);
      expect(text).toMatch(/^#0 +fib \(n=n@entry=5\) at .*time_travel\.c:\d+\n#1 +0x[0-9a-f]+ in fib \(n=6\)/m);
      // reverse-finish: fib(6)'s call of fib(5).
      expect(text).toMatch(/^#0 +0x[0-9a-f]+ in fib \(n=6\) at .*time_travel\.c:12$/m);
      expect(text).toContain('[Inferior 1 (Remote target) killed]');
    },
  };

  it(`${lines.commands.join(', ')}`, () => runSession({ ...lines, options: ['--record'] }));
});
