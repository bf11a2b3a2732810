// Snapshots: the one taken after init, the user's own, and restores that copy back only
// the pages written since.
import { afterEach, describe, expect, it } from 'vitest';

import { Sandbox, Snapshot, UsageError } from '../../../../native/node/api/index.js';
import { testGuest } from '../../../helpers.js';

const MiB = 1 << 20;
let sandbox: Sandbox;
afterEach(() => sandbox?.dispose());

describe('snapshots', () => {
  it('restore the state after init before each call by default; warm calls keep state', async () => {
    sandbox = await Sandbox.create(testGuest('machine'));
    expect(await sandbox.call('counter')).toBe(1n);
    expect(await sandbox.call('counter')).toBe(1n);
    // Warm calls go on from the state the last call left: counter is 1 there.
    const warm = async () => (await sandbox.invoke('counter', [], { restore: false })).value;
    expect(await warm()).toBe(2n);
    expect(await warm()).toBe(3n);
    expect(await sandbox.call('counter')).toBe(1n);
  });

  it('are taken and restored by the user, and become what calls restore', async () => {
    sandbox = await Sandbox.create(testGuest('machine'));
    const warm = async () => (await sandbox.invoke('counter', [], { restore: false })).value;
    await warm();
    await warm(); // counter = 2
    const two = sandbox.snapshot();
    await warm(); // 3
    await warm(); // 4
    const four = sandbox.snapshot();
    expect(await sandbox.call('counter')).toBe(5n); // restores `four` first
    sandbox.restore(two);
    expect(await warm()).toBe(3n);
    sandbox.restore(four);
    expect(await warm()).toBe(5n);
    sandbox.restore(two);
    expect(await sandbox.call('counter')).toBe(3n);
  });

  it('restore after a failed call, so the next call finds the last snapshot', async () => {
    sandbox = await Sandbox.create(testGuest('machine'));
    await sandbox.invoke('counter', [], { restore: false });
    sandbox.snapshot(); // counter = 1
    await sandbox.invoke('load', [0n], { restore: false }).catch(() => undefined);
    expect((await sandbox.invoke('counter', [], { restore: false })).value).toBe(2n);
  });

  it('track the pages written, by the guest and by the host', async () => {
    sandbox = await Sandbox.create(testGuest('machine'));
    expect(sandbox.dirtyPages()).toEqual([]);
    const first = Number((await sandbox.invoke('touch_pages', [4], { restore: false })).value);
    const { heapBegin, stackTop } = sandbox.layout();
    // The four heap pages, and the stack's top page (touch_pages makes a call).
    expect(sandbox.dirtyPages()).toEqual([first, first + 4096, first + 8192, first + 12288, stackTop - 4096]);
    sandbox.writeMemory(heapBegin + 100 * 4096 + 10, Uint8Array.of(7, 7));
    expect(sandbox.dirtyPages()).toContain(heapBegin + 100 * 4096);
    expect(sandbox.dirtyPages()).toHaveLength(6);

    const report = await sandbox.invoke('counter', []);
    expect(report.timings.restoredPages).toBe(6);
    expect(sandbox.readMemory(heapBegin + 100 * 4096 + 10, 2)).toEqual(Uint8Array.of(0, 0));
    expect(sandbox.readMemory(first + 100, 1)).toEqual(Uint8Array.of(0));
  });

  it('compare: the pages and the exact bytes that differ, between two snapshots or with memory now', async () => {
    sandbox = await Sandbox.create(testGuest('machine'));
    const before = sandbox.snapshot();
    const { heapBegin } = sandbox.layout();
    sandbox.writeMemory(heapBegin + 10, Uint8Array.of(1, 2, 3));
    sandbox.writeMemory(heapBegin + 20, Uint8Array.of(9));
    sandbox.writeMemory(heapBegin + 3 * 4096, Uint8Array.of(5, 5));
    expect(sandbox.compare(before)).toEqual([
      {
        page: heapBegin,
        ranges: [
          { address: heapBegin + 10, length: 3 },
          { address: heapBegin + 20, length: 1 },
        ],
      },
      { page: heapBegin + 3 * 4096, ranges: [{ address: heapBegin + 3 * 4096, length: 2 }] },
    ]);
    const after = sandbox.snapshot();
    expect(sandbox.compare(before, after)).toEqual(sandbox.compare(after, before));
    expect(sandbox.compare(before, after).map((d) => d.page)).toEqual([heapBegin, heapBegin + 3 * 4096]);
    expect(sandbox.compare(after)).toEqual([]);
    // A byte written back to what it was is no difference.
    sandbox.writeMemory(heapBegin + 20, Uint8Array.of(0));
    expect(sandbox.compare(before)[0]!.ranges).toEqual([{ address: heapBegin + 10, length: 3 }]);
    expect(() => sandbox.compare(new Snapshot(sandbox, 999))).toThrow('no snapshot 999 in this sandbox');
  });

  it('cost what was written, whatever the size of guest memory', async () => {
    const restored: number[] = [];
    for (const memorySize of [16 * MiB, 256 * MiB]) {
      sandbox = await Sandbox.create(testGuest('machine'), { memorySize });
      await sandbox.invoke('touch_pages', [7], { restore: false });
      restored.push((await sandbox.invoke('counter', [])).timings.restoredPages);
      sandbox.dispose();
    }
    expect(restored).toEqual([8, 8]); // seven heap pages and the stack's top page
    sandbox = await Sandbox.create(testGuest('machine'));
  });

  it('are dropped, and reject ids they do not know', async () => {
    sandbox = await Sandbox.create(testGuest('machine'));
    const first = sandbox.snapshot();
    const second = sandbox.snapshot();
    expect(() => sandbox.dropSnapshot(second)).toThrow('is the one calls restore before they run');
    sandbox.dropSnapshot(first);
    expect(() => sandbox.restore(first)).toThrow(UsageError);
    expect(() => sandbox.restore(first)).toThrow(`no snapshot ${first.id} in this sandbox`);
  });
});
