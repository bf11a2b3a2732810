// Guest memory layout and the entry state, as the host describes them and as the guest
// itself sees them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GuestFault, MemoryError, Sandbox, UsageError } from '../../../../native/node/api/index.js';
import { testGuest } from '../../../helpers.js';

const MiB = 1 << 20;

describe('the memory layout', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.create(testGuest('machine'), { seed: 0x1234_5678_9abc_def0n });
  });
  afterAll(() => sandbox.dispose());

  it('covers guest memory without gaps, each region with its permissions', () => {
    const layout = sandbox.layout();
    expect(layout.memorySize).toBe(16 * MiB);
    let cursor = 0;
    for (const region of layout.regions) {
      expect(region.begin).toBe(cursor);
      expect(region.end).toBeGreaterThan(region.begin);
      cursor = region.end;
    }
    expect(cursor).toBe(16 * MiB);
    const byName = (name: string) => layout.regions.find((r) => r.name === name)!;
    expect(byName('null page')).toEqual({ name: 'null page', begin: 0, end: 0x1000, access: '---' });
    expect(byName('control block')).toMatchObject({ begin: 0x1000, access: 'r--' });
    expect(byName('engine code')).toEqual({ name: 'engine code', begin: 0xff000, end: 0x100000, access: 'r-x' });
    expect(byName('fault stack')).toMatchObject({ begin: 0x4000, end: 0x6000, access: 'rw-' });
    expect(byName('page tables')).toMatchObject({ begin: 0x8000, access: '---' });
    expect(byName('input buffer').access).toBe('r--');
    expect(byName('output buffer').access).toBe('rw-');
    expect(byName('heap')).toMatchObject({ begin: layout.heapBegin, end: layout.heapEnd, access: 'rw-' });
    expect(byName('stack guard page')).toMatchObject({ begin: layout.stackBase - 4096, end: layout.stackBase, access: '---' });
    expect(byName('stack')).toMatchObject({ begin: layout.stackBase, end: 16 * MiB, access: 'rw-' });
    const segments = layout.regions.filter((r) => r.name.startsWith('ELF segment'));
    expect(segments.map((r) => r.access)).toEqual(['r-x', 'r--', 'rw-']);
    expect(segments[0]!.begin).toBe(0x100000);
  });

  it('is what the control block tells the guest', async () => {
    const block = Buffer.from((await sandbox.call('control_block')) as Uint8Array);
    const layout = sandbox.layout();
    const u64 = (offset: number) => Number(block.readBigUInt64LE(offset));
    expect(block.toString('latin1', 0, 4)).toBe('MSCB');
    expect(block.readUInt16LE(4)).toBe(1);
    expect(u64(8)).toBe(16 * MiB);
    expect(u64(16)).toBe(0x100000);
    expect(u64(32)).toBe(layout.heapBegin);
    expect(u64(40)).toBe(layout.heapEnd);
    expect(u64(48)).toBe(layout.stackBase);
    expect(u64(56)).toBe(layout.stackTop);
    expect(u64(64)).toBe(layout.inputBuffer);
    expect(u64(72)).toBe(layout.ioBufferSize);
    expect(u64(80)).toBe(layout.outputBuffer);
    expect(u64(96)).toBe(0xff000); // the halt stub
    expect(block.readBigUInt64LE(104)).toBe(0x1234_5678_9abc_def0n);
  });

  it('puts the guest in 64-bit long mode with the documented entry state', async () => {
    expect(await sandbox.call('control_register', 0)).toBe(0x80050033n);
    expect(await sandbox.call('control_register', 3)).toBe(0x8000n);
    expect(await sandbox.call('control_register', 4)).toBe(0x620n);
    expect(await sandbox.call('efer')).toBe(0x500n);
    expect(await sandbox.call('segment', 0)).toBe(0x08n);
    expect(await sandbox.call('segment', 1)).toBe(0x10n);
    expect(await sandbox.call('segment', 2)).toBe(0x10n);
    const flags = (await sandbox.call('rflags')) as bigint;
    expect(flags & 0x2n).toBe(0x2n);
    expect(flags & 0x200n).toBe(0n); // interrupts off
    expect(await sandbox.call('entry_rsp')).toBe(BigInt(16 * MiB - 8));
  });

  it('faults on the guard page below the stack when recursion runs out of stack', async () => {
    expect(await sandbox.call('recurse', 100)).toBe(5050n);
    const fault = (await sandbox.call('recurse', 100_000).catch((e: unknown) => e)) as GuestFault;
    const { stackBase } = sandbox.layout();
    expect(fault).toBeInstanceOf(GuestFault);
    expect(fault.vector).toBe('#PF');
    expect(fault.cr2! >= BigInt(stackBase - 4096) && fault.cr2! < BigInt(stackBase)).toBe(true);
    expect(fault.symbol).toMatch(/^recurse/);
    expect(await sandbox.call('recurse', 10)).toBe(55n);
  });

  it('keeps the page tables and the control block read-only to the guest', async () => {
    for (const address of [0x8000n, 0x1000n]) {
      const fault = (await sandbox.call('store', address, 1n).catch((e: unknown) => e)) as GuestFault;
      expect(fault.vector).toBe('#PF');
      expect(fault.cr2).toBe(address);
    }
  });

  it('does not execute data: a jump to a data page faults on the fetch', async () => {
    const data = (await sandbox.call('data_address')) as bigint;
    const fault = (await sandbox.call('jump_to', data).catch((e: unknown) => e)) as GuestFault;
    expect(fault.vector).toBe('#PF');
    expect(fault.cr2).toBe(data);
    expect(fault.rip).toBe(data);
    expect(fault.errorCode).toBe(0x11);
    const nullJump = (await sandbox.call('jump_to', 0n).catch((e: unknown) => e)) as GuestFault;
    expect(nullJump.vector).toBe('#PF');
    expect(nullJump.cr2).toBe(0n);
  });

  it('reads and writes guest memory from the host, bounds-checked', () => {
    const { heapBegin } = sandbox.layout();
    sandbox.writeMemory(heapBegin + 4096, Uint8Array.of(1, 2, 3));
    expect(sandbox.readMemory(heapBegin + 4096, 3)).toEqual(Uint8Array.of(1, 2, 3));
    expect(sandbox.readMemory(0x1000, 4)).toEqual(new TextEncoder().encode('MSCB'));
    expect(() => sandbox.readMemory(16 * MiB - 2, 4)).toThrow(MemoryError);
    expect(() => sandbox.readMemory(16 * MiB - 2, 4)).toThrow('[0xfffffe, +0x4) is outside guest memory [0, 0x1000000)');
    expect(() => sandbox.readMemory(2n ** 64n - 1n, 2)).toThrow(MemoryError);
    expect(() => sandbox.writeMemory(16 * MiB, Uint8Array.of(1))).toThrow(MemoryError);
  });
});

describe('memory size', () => {
  it('is an option, from 2 MiB to 3 GiB', async () => {
    for (const memorySize of [2 * MiB, 64 * MiB, 1024 * MiB, 3072 * MiB]) {
      const sandbox = await Sandbox.create(testGuest('machine'), { memorySize, stackSize: 64 * 1024 });
      try {
        expect(sandbox.layout().memorySize).toBe(memorySize);
        expect(await sandbox.call('entry_rsp')).toBe(BigInt(memorySize - 8));
        expect(await sandbox.call('heap_free')).toBeGreaterThan(0n);
      } finally {
        sandbox.dispose();
      }
    }
  });

  it('rejects sizes it cannot lay out, saying why', async () => {
    await expect(Sandbox.create(testGuest('machine'), { memorySize: 3 * MiB })).rejects.toThrow(
      'memory size must be a multiple of 2 MiB from 2 MiB to 3 GiB (got 3145728 bytes)',
    );
    await expect(Sandbox.create(testGuest('machine'), { memorySize: 3074 * MiB })).rejects.toThrow(
      'memory size must be a multiple of 2 MiB from 2 MiB to 3 GiB (got 3223322624 bytes)',
    );
    await expect(Sandbox.create(testGuest('machine'), { memorySize: 4096 * MiB })).rejects.toThrow(UsageError);
    await expect(Sandbox.create(testGuest('machine'), { stackSize: 1000 })).rejects.toThrow('stack size must be a multiple of 4 KiB and at least 16 KiB');
    await expect(Sandbox.create(testGuest('machine'), { memorySize: 2 * MiB, stackSize: 2 * MiB })).rejects.toThrow(
      "a stack of 2 MiB doesn't fit in 2 MiB of guest memory",
    );
  });
});
