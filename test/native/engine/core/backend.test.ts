// The backend's register primitives through the API: general purpose, RIP, RFLAGS,
// control registers, EFER, segments and descriptor tables, read and written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Sandbox, UsageError } from '../../../../native/node/api/index.js';
import { testGuest } from '../../../helpers.js';

describe('registers', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.create(testGuest('machine'));
  });
  afterAll(() => sandbox.dispose());

  it('are read as the last call left them', async () => {
    await sandbox.invoke('control_register', [4], { restore: false });
    const registers = sandbox.registers();
    expect(registers.rax).toBe(0x620n); // the result
    expect(registers.rip).toBe(0xff001n); // just past the halt stub
    expect(registers.rsp).toBe(BigInt(sandbox.layout().stackTop));
    expect(registers.cr0).toBe(0x80050033n);
    expect(registers.cr3).toBe(0x8000n);
    expect(registers.cr4).toBe(0x620n);
    expect(registers.efer).toBe(0x500n);
    expect(registers.cs.selector).toBe(0x08);
    expect(registers.ss.selector).toBe(0x10);
    expect(registers.gdt).toEqual({ base: 0x2000n, limit: 39 });
    expect(registers.idt).toEqual({ base: 0x3000n, limit: 4095 });
  });

  it('are written, and a restore puts the snapshot back', async () => {
    sandbox.setRegisters({ rbx: 0x1234n, r15: 7, fs: { base: 0x5000n }, gdt: { limit: 23 } });
    const registers = sandbox.registers();
    expect(registers.rbx).toBe(0x1234n);
    expect(registers.r15).toBe(7n);
    expect(registers.fs.base).toBe(0x5000n);
    expect(registers.gdt).toEqual({ base: 0x2000n, limit: 23 });
    await sandbox.call('efer'); // restores the snapshot first
    expect(sandbox.registers().fs.base).toBe(0n);
    expect(sandbox.registers().gdt.limit).toBe(39);
  });

  it('reject names and values that are not registers', () => {
    expect(() => sandbox.setRegisters({ rzz: 1n } as never)).toThrow("there is no register 'rzz'");
    expect(() => sandbox.setRegisters({ rax: -1 })).toThrow(UsageError);
    expect(() => sandbox.setRegisters({ cs: { selector: 0x10000 } })).toThrow('register cs.selector must fit 16 bits');
  });
});
