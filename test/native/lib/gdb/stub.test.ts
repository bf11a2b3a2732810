// The GDB stub, driven by the system's real gdb in batch mode against `microscope gdb`
// (native/cli/commands/gdb.ts): breakpoints, backtraces, registers, memory, stepi,
// finish, a watchpoint on a global, a fault, and the exit with the function's value. On
// KVM the same sessions run inside `npm run test:kvm` (test/kvm/gdb.test.ts).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { demoGuestPath, projectRoot, testBackend, testGuest } from '../../../helpers.js';
import { gdbArguments, type GdbSession, gdbSessions } from './sessions.js';

let stub: ChildProcess | undefined;
afterEach(() => stub?.kill());

const elfOf = (guest: string) => (guest === 'demo' ? demoGuestPath : testGuest(guest));

/** Starts `microscope gdb` on a free port; resolves to the port and the stub's output. */
async function startStub(session: GdbSession) {
  stub = spawn(process.execPath, [
    join(projectRoot, 'dist/native/cli/main.js'), 'gdb', elfOf(session.guest), ...session.call, '--port', '0', '--backend', testBackend,
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

describe('microscope gdb, with the real gdb', () => {
  for (const session of gdbSessions) {
    it(`${session.call.join(' ')}: ${session.commands.join(', ')}`, async () => {
      const { port, output, exited } = await startStub(session);
      const result = spawnSync('gdb', gdbArguments(session, `127.0.0.1:${port}`, elfOf(session.guest)), {
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(result.error).toBeUndefined();
      const status = await exited;
      session.check(result.stdout + result.stderr, output.stdout, status);
    });
  }
});
