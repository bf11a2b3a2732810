// The GDB stub, driven by the system's real gdb in batch mode against `microscope gdb`
// (native/cli/commands/gdb.ts): breakpoints, backtraces, registers, memory, stepi,
// finish, a watchpoint on a global, and the exit with the function's value. On KVM the
// same runs inside `npm run test:kvm`.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { demoGuestPath, projectRoot, testBackend, testGuest } from '../../../helpers.js';

let stub: ChildProcess | undefined;
afterEach(() => stub?.kill());

/** Starts `microscope gdb` on a free port; resolves to the port and the stub's output so far. */
async function startStub(guest: string, ...call: string[]) {
  stub = spawn(process.execPath, [join(projectRoot, 'dist/native/cli/main.js'), 'gdb', guest, ...call, '--port', '0', '--backend', testBackend]);
  const output = { stdout: '', stderr: '' };
  stub.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    stub!.stderr!.on('data', (chunk: Buffer) => {
      output.stderr += chunk.toString();
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(output.stderr);
      if (match) resolve(Number(match[1]));
    });
    stub!.on('exit', () => reject(new Error(`the stub exited: ${output.stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => stub!.on('exit', resolve));
  return { port, output, exited };
}

function gdb(port: number, elf: string, commands: string[]): string {
  const args = ['-batch', '-nx', '-ex', 'set pagination off', '-ex', 'set confirm off', '-ex', `target remote 127.0.0.1:${port}`];
  for (const command of commands) args.push('-ex', command);
  const result = spawnSync('gdb', [...args, elf], { encoding: 'utf8', timeout: 120_000 });
  expect(result.error).toBeUndefined();
  return result.stdout + result.stderr;
}

describe('microscope gdb, with the real gdb', () => {
  it('breaks in a recursion, shows its frames, registers and stack, steps, finishes, and exits with the value', async () => {
    const { port, output, exited } = await startStub('demo', 'fib', '10');
    const text = gdb(port, demoGuestPath, [
      'break fib', 'continue', 'continue', 'bt', 'info registers rip rdi', 'x/2gx $rsp', 'stepi',
      'delete', 'finish', 'continue',
    ]);
    expect(text).toContain('fib (n=10) at demo/demo.c:'); // the entry
    expect(text).toMatch(/Breakpoint 1, fib \(n=n@entry=9\) at demo\/demo\.c:\d+/);
    expect(text).toMatch(/Breakpoint 1, fib \(n=n@entry=8\) at demo\/demo\.c:\d+/);
    const frames = text.match(/^#\d .*$/gm)!;
    expect(frames[0]).toMatch(/^#0  fib \(n=n@entry=8\) at demo\/demo\.c:\d+$/);
    expect(frames[1]).toMatch(/^#1  0x[0-9a-f]+ in fib \(n=n@entry=9\) at demo\/demo\.c:\d+$/);
    expect(frames[2]).toMatch(/^#2  0x[0-9a-f]+ in fib \(n=10\) at demo\/demo\.c:\d+$/);
    const fib = /^rip\s+(0x[0-9a-f]+)\s+0x[0-9a-f]+ <fib>$/m.exec(text)![1]!;
    expect(text).toMatch(/^rdi\s+0x8\s+8$/m);
    // [rsp] holds the return address into fib(9): frame #1's pc.
    const returnAddress = /^#1  (0x[0-9a-f]+) in fib/m.exec(text)![1]!;
    expect(BigInt(/^0x[0-9a-f]+:\s+(0x[0-9a-f]+)/m.exec(text)![1]!)).toBe(BigInt(returnAddress));
    // stepi moves one instruction into fib.
    expect(text).toMatch(new RegExp(`^0x0*${(BigInt(fib) + 1n).toString(16)}\\s+\\d+\\s`, 'm'));
    // finish: back in fib(9) just past its call, with fib(8)'s value.
    expect(text).toMatch(new RegExp(`^${returnAddress.replace('0x', '0x0*')} in fib \\(n=n@entry=9\\) at demo/demo\\.c:\\d+$`, 'm'));
    expect(text).toMatch(/Value returned is \$1 = 21$/m); // fib(8)
    expect(text).toContain('[Inferior 1 (Remote target) exited with code 067]'); // 55
    expect(await exited).toBe(0);
    expect(output.stdout).toBe('55\n');
  });

  it('stops at each write to a watched global with its old and new values', async () => {
    const { port, output, exited } = await startStub(testGuest('debuggee'), 'sum_squares', '3');
    const text = gdb(port, testGuest('debuggee'), ['watch total', 'continue', 'continue', 'continue', 'continue']);
    const changes = [...text.matchAll(/Old value = (\d+)\nNew value = (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(changes).toEqual([[0, 1], [1, 5], [5, 14]]); // total = 0 changes nothing: gdb goes on
    expect(text).toContain('Hardware watchpoint 1: total');
    expect(text).toContain('[Inferior 1 (Remote target) exited with code 016]'); // 14
    expect(await exited).toBe(0);
    expect(output.stdout).toBe('14\n');
  });

  it('reports a fault as the signal a process would get', async () => {
    const { port, exited } = await startStub('demo', 'crash_null');
    const text = gdb(port, demoGuestPath, ['continue', 'info registers rip', 'continue']);
    expect(text).toMatch(/Program received signal SIGSEGV, Segmentation fault\.\n0x[0-9a-f]+ in crash_null \(\)|Program received signal SIGSEGV, Segmentation fault\.\ncrash_null \(\)/);
    expect(text).toContain('Program terminated with signal SIGSEGV, Segmentation fault.');
    expect(await exited).toBe(1);
  });
});
