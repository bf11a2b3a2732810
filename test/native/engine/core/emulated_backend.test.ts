// Each pitfall of Unicorn 2.0.1 (../shared/notes/unicorn-2.0.1.md) and the engine's
// work-around, seen from outside: the test fails if the work-around goes. Always on the
// emulated backend, whatever the suite runs on.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GuestFault, Sandbox } from '../../../../native/node/api/index.js';
import { demoGuestPath, projectRoot, testGuest } from '../../../helpers.js';

async function faultOf(promise: Promise<unknown>): Promise<GuestFault> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(GuestFault);
  return error as GuestFault;
}

function pageTableBytes(sandbox: Sandbox): Buffer {
  const tables = sandbox.layout().regions.find((r) => r.name === 'page tables')!;
  return Buffer.from(sandbox.readMemory(tables.begin, tables.end - tables.begin));
}

describe('Unicorn 2.0.1 pitfalls', () => {
  let machine: Sandbox;
  let hostile: Sandbox;
  beforeAll(async () => {
    machine = await Sandbox.create(testGuest('machine'), { backend: 'emulated' });
    hostile = await Sandbox.create(testGuest('hostile'), { backend: 'emulated' });
  });
  afterAll(() => {
    machine.dispose();
    hostile.dispose();
  });

  it('translation is ignored: the layout is identity-mapped, so guest and host agree on every address', async () => {
    const { heapBegin } = machine.layout();
    const address = heapBegin + 0x3000;
    machine.writeMemory(address, Buffer.from('0123456789abcdef', 'hex'));
    expect(await machine.invoke('load', [BigInt(address)], { restore: false }).then((r) => r.value)).toBe(0xefcdab8967452301n);
    // Every present entry maps its range to itself: 2 MiB pages where a range is uniform,
    // 4 KiB pages elsewhere.
    const tables = pageTableBytes(machine);
    const entry = (address: bigint) => tables.readBigUInt64LE(Number(address) - 0x8000);
    const pd = 0x8000n + 2n * 4096n;
    let large = 0;
    let small = 0;
    for (let range = 0n; range < 8n; range++) {
      const directory = entry(pd + range * 8n);
      if (!(directory & 1n)) continue;
      if (directory & 0x80n) {
        expect(directory & ~0x1fffffn & ((1n << 52n) - 1n)).toBe(range << 21n);
        large++;
        continue;
      }
      for (let i = 0n; i < 512n; i++) {
        const pte = entry((directory & ~0xfffn) + i * 8n);
        if (pte & 1n) {
          expect(pte & ~0xfffn).toBe(((range << 9n) + i) << 12n);
          small++;
        }
      }
    }
    expect(large).toBeGreaterThan(0);
    expect(small).toBeGreaterThan(0);
  });

  it('a later fault becomes #DF: the CPU state is restored after every fault, so each keeps its vector', async () => {
    const sequence: [string, unknown[], string][] = [
      ['load', [0n], '#PF'],
      ['divide_u64', [1n, 0n], '#DE'],
      ['divide_u64', [1n, 0n], '#DE'],
      ['load', [0n], '#PF'],
      ['jump_to', [0n], '#PF'],
      ['divide_u64', [1n, 0n], '#DE'],
    ];
    for (const [name, args, vector] of sequence) {
      expect((await faultOf(machine.call(name, ...(args as bigint[])))).vector).toBe(vector);
    }
    for (const [name, vector] of [
      ['ud2', '#UD'],
      ['int3', '#BP'],
      ['ud2', '#UD'],
    ] as const) {
      expect((await faultOf(hostile.call(name))).vector).toBe(vector);
    }
    expect(await machine.call('divide_u64', 10n, 2n)).toBe(5n);
    expect((await faultOf(machine.call('divide_u64', 1n, 0n))).vector).toBe('#DE');
    // Warm calls restore nothing first: the restore after each fault is what clears it.
    const warm = (name: string, ...args: bigint[]) => machine.invoke(name, args, { restore: false });
    expect((await faultOf(warm('load', 0n))).vector).toBe('#PF');
    expect((await faultOf(warm('divide_u64', 1n, 0n))).vector).toBe('#DE');
    expect((await faultOf(warm('load', 0n))).vector).toBe('#PF');
  });

  it('a triple fault ends a run like hlt: only a stop at the halt stub is a return', async () => {
    const stray = await faultOf(hostile.call('stray_hlt'));
    expect(stray.vector).toBe('stray hlt');
    expect(stray.symbol).toMatch(/^stray_hlt/);
    expect(await hostile.call('in_from_unknown_port').catch((e: GuestFault) => e.vector)).toBe('bad port');
    expect((await faultOf(hostile.call('stray_hlt'))).vector).toBe('stray hlt');
  });

  it('control-register writes are raw: page tables are built once and never rewritten', async () => {
    const before = pageTableBytes(machine);
    await machine.call('counter');
    await machine.call('load', 0n).catch(() => undefined);
    await machine.call('store', 0x8000n, 0n).catch(() => undefined);
    await machine.invoke('touch_pages', [8], { restore: false });
    machine.restore(machine.snapshot());
    const tables = machine.layout().regions.find((r) => r.name === 'page tables')!;
    expect(machine.dirtyPages().filter((p) => p >= tables.begin && p < tables.end)).toEqual([]);
    expect(pageTableBytes(machine).equals(before)).toBe(true);
  });

  it('Accessed and Dirty are preset in every page-table entry, so the walker never writes them', async () => {
    const tables = pageTableBytes(machine);
    for (let offset = 0; offset < tables.length; offset += 8) {
      const entry = tables.readBigUInt64LE(offset);
      if (entry & 1n) expect(entry & 0x60n).toBe(0x60n);
    }
    await machine.invoke('touch_pages', [16], { restore: false });
    expect(pageTableBytes(machine).equals(tables)).toBe(true);
  });

  it('no NX: EFER.NXE and PTE bit 63 stay clear; execute permission is enforced by the backend; SSE runs', async () => {
    expect(((await machine.call('efer')) as bigint) & (1n << 11n)).toBe(0n);
    const tables = pageTableBytes(machine);
    for (let offset = 0; offset < tables.length; offset += 8) expect(tables.readBigUInt64LE(offset) >> 63n).toBe(0n);
    const data = (await machine.call('data_address')) as bigint;
    expect((await faultOf(machine.call('jump_to', data))).cr2).toBe(data);
    expect(((await machine.call('control_register', 4)) as bigint) & 0x600n).toBe(0x600n);
    expect(await machine.call('sse_dot', 1.5, 2)).toBe(1.5 * 2 + 3 * 4);
  });

  it('host-rewritten code is not stale: the host flushes the translation of code it writes', async () => {
    const address = (await machine.call('value_code_address')) as bigint;
    expect(await machine.call('value')).toBe(1n);
    // The guest can't patch its own code, even with CR0.WP clear: the host refuses the store.
    const patch = await faultOf(machine.invoke('patch_value', [], { restore: false }));
    expect([patch.vector, patch.cr2]).toEqual(['#PF', address]);
    expect(await machine.invoke('value', [], { restore: false }).then((r) => r.value)).toBe(1n);
    // The host writes guest code itself: the next run sees the new bytes.
    machine.writeMemory(address, Uint8Array.of(0xb8, 0x03, 0, 0, 0, 0xc3)); // mov eax, 3; ret
    expect(await machine.invoke('value', [], { restore: false }).then((r) => r.value)).toBe(3n);
    // A restore copies the original code back: its translation is flushed too.
    expect(await machine.call('value')).toBe(1n);
  });

  it('host calls are served inside the OUT hook: every result reaches the guest in its own register', async () => {
    const sandbox = await Sandbox.create(testGuest('host_calls'), {
      backend: 'emulated',
      hostFunctions: { next: { params: ['u32'], returns: 'u64', fn: (i: number) => BigInt(i * i) } },
    });
    try {
      let expected = 0n;
      for (let i = 0; i < 2000; i++) expected = (expected * 3n + BigInt(i * i)) & (2n ** 64n - 1n);
      expect(await sandbox.call('call_next', 2000)).toBe(expected);
    } finally {
      sandbox.dispose();
    }
  });

  it("uc_emu_start's timeout starts a thread per call: one watchdog thread serves every timeout", async () => {
    const threads = () => readdirSync('/proc/self/task').length;
    const sandbox = await Sandbox.create(demoGuestPath, { backend: 'emulated', timeoutMs: 1000 });
    try {
      await sandbox.call('add', 1n, 1n);
      const before = threads();
      for (let i = 0; i < 300; i++) await sandbox.call('add', BigInt(i), 1n);
      for (let i = 0; i < 5; i++) await sandbox.invoke('spin', [], { timeoutMs: 2 }).catch(() => undefined);
      expect(threads()).toBe(before);
    } finally {
      sandbox.dispose();
    }
  });

  it('guest stores are slow: a call of a scalar function writes no guest page at all', async () => {
    const sandbox = await Sandbox.create(demoGuestPath, { backend: 'emulated' });
    try {
      await sandbox.invoke('add', [1n, 2n], { restore: false });
      expect(sandbox.dirtyPages()).toEqual([]);
      const report = await sandbox.invoke('add', [1n, 2n]);
      expect(report.timings.restoredPages).toBe(0);
    } finally {
      sandbox.dispose();
    }
  });

  it('a stop issued before the run begins is lost: cancels are repeated until one lands', async () => {
    const sandbox = await Sandbox.create(demoGuestPath, { backend: 'emulated' });
    try {
      for (let i = 0; i < 50; i++) {
        const call = sandbox.call('spin');
        queueMicrotask(() => sandbox.cancel());
        await expect(call).rejects.toThrow('cancelled');
      }
    } finally {
      sandbox.dispose();
    }
  });

  it('a stop lands part-way through a block: runs are only ever continued after a yield at a block start', async () => {
    const sandbox = await Sandbox.create(demoGuestPath, { backend: 'emulated' });
    try {
      // fib(24) runs for many milliseconds: it yields on the JS thread and goes on elsewhere.
      const report = await sandbox.invoke('fib', [24]);
      expect(report.value).toBe(46368n);
      expect(report.timings.runNs).toBeGreaterThan(1_000_000);
      const values = await Promise.all([sandbox.call('fib', 23)]);
      expect(values).toEqual([28657n]);
    } finally {
      sandbox.dispose();
    }
  });

  it('a refused translation buffer exits the process: the engine asks first and fails only the sandbox', () => {
    // A child node whose address space leaves room for a sandbox's own memory but not for
    // Unicorn's 1 GiB buffer: its limit is its own size plus 512 MiB.
    const script = `
      import { readFileSync } from 'node:fs';
      import { Sandbox } from ${JSON.stringify(join(projectRoot, 'dist/native/node/api/index.js'))};
      const size = Number(/VmSize:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
      if (process.argv[1] === 'size') { console.log(size); process.exit(0); }
      const error = await Sandbox.create(${JSON.stringify(demoGuestPath)}, { backend: 'emulated' }).catch((e) => e);
      console.log(JSON.stringify({ kind: error.kind, message: error.message }));
      console.log('still running');`;
    const run = (limitKib?: number, mode = 'run') =>
      spawnSync('bash', ['-c', `${limitKib ? `ulimit -v ${limitKib}; ` : ''}exec "$0" --input-type=module -e "$1" "$2"`, process.execPath, script, mode], {
        encoding: 'utf8',
        cwd: projectRoot,
      });
    const size = Number(run(undefined, 'size').stdout.trim());
    expect(size).toBeGreaterThan(0);
    const result = run(size + 512 * 1024);
    expect(result.stderr).not.toContain('Could not allocate dynamic translator buffer');
    expect(result.status).toBe(0);
    const [report, last] = result.stdout.trim().split('\n');
    expect(JSON.parse(report!)).toEqual({
      kind: 'backend',
      message:
        "the emulated backend can't run here: Unicorn needs 1 GiB of writable, executable address space for its " +
        'translated code and the system refused it (Cannot allocate memory; see ulimit -v and vm.overcommit_memory)',
    });
    expect(last).toBe('still running');
  });
});
