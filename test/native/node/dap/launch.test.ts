// microscope dap's launch arguments, checked with an error response that says what is wrong
// (the adapter keeps serving), and the --port server.
import { spawn } from 'node:child_process';

import type { DebugProtocol } from '@vscode/debugprotocol';
import { describe, expect, it } from 'vitest';

import { Adapter, mainJs } from './adapter.js';

describe('microscope dap: launch arguments', () => {
  it('answers each bad launch with an error that says why, and then launches a good one', async () => {
    const adapter = Adapter.start();
    await adapter.client.initializeRequest();
    const bad: [Record<string, unknown>, string][] = [
      [{ guest: 'demo' }, 'the launch configuration needs "function": the name of the guest function to call'],
      [{ function: 'fib' }, 'the launch configuration needs "guest": the path of a guest ELF, or "demo" or "sqlite"'],
      [{ guest: '/no/such/guest.elf', function: 'fib' }, "can't read the guest file '/no/such/guest.elf': ENOENT"],
      [{ guest: 'demo', function: 'fib', args: ['1', '2'] }, 'fib takes 1 argument (u64 fib(u32 n)), got 2'],
      [{ guest: 'demo', function: 'fib', args: ['ten'] }, "argument 1 (n) must be an u32 in decimal or 0x-hex, got 'ten'"],
      [{ guest: 'demo', function: 'fib', args: [], backend: 'qemu' }, '"backend" must be one of auto, emulated, kvm, got "qemu"'],
      [
        { guest: 'demo', function: 'fibonacci', args: [] },
        "the guest exports no function 'fibonacci' (it has add, fib, sha256, greet, crash_null, divide, spin, alloc, abort_with)",
      ],
      [{ guest: 'demo', function: 'fib', args: '10' }, '"args" must be a list of the arguments as text, such as ["40", "0x2"]'],
      [{ guest: 'demo', function: 'fib', args: ['10'], stopOnEntry: 'yes' }, '"stopOnEntry" must be true or false, got "yes"'],
    ];
    for (const [args, message] of bad) {
      await expect(adapter.client.launchRequest(args as DebugProtocol.LaunchRequestArguments), JSON.stringify(args)).rejects.toThrow(message);
    }
    expect(adapter.pending('initialized')).toEqual([]);
    // Requests that need a guest say so.
    await expect(adapter.client.stackTraceRequest({ threadId: 1 })).rejects.toThrow('no guest is launched: send a launch request first');

    await adapter.client.launchRequest({ guest: 'demo', function: 'add', args: ['40', '2'], backend: 'emulated' } as DebugProtocol.LaunchRequestArguments);
    await adapter.next('initialized');
    await adapter.client.configurationDoneRequest();
    expect((await adapter.next<DebugProtocol.ExitedEvent>('exited')).body.exitCode).toBe(42);
    await adapter.stop();
  });
});

describe('microscope dap --port', () => {
  it('serves a session to each connection on 127.0.0.1, and stops on SIGTERM', async () => {
    const server = spawn(process.execPath, [mainJs, 'dap', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    server.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const port = await new Promise<number>((resolve) => {
      let stderr = '';
      server.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /^dap: listening on 127\.0\.0\.1:(\d+); Ctrl-C stops it$/m.exec(stderr);
        if (match) resolve(Number(match[1]));
      });
    });
    for (const [a, b, sum] of [
      ['40', '2', 42],
      ['200', '100', 300 & 0xff],
    ] as const) {
      const adapter = await Adapter.connect(port);
      await adapter.launch({ guest: 'demo', function: 'add', args: [a, b] });
      expect(await adapter.outputs(1)).toEqual([['console', `add returned ${Number(a) + Number(b)}\n`]]);
      expect((await adapter.next<DebugProtocol.ExitedEvent>('exited')).body.exitCode).toBe(sum);
      await adapter.stop();
    }
    server.kill('SIGTERM');
    const status = await new Promise((resolve) => server.once('exit', resolve));
    expect(status).toBe(0);
    expect(stdout).toBe('');
  });
});
