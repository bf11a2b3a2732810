// The Registers scope: the vCPU's registers in the running frame; in a caller's frame, what
// the backtrace knows of it (its return address and stack pointer).
import type { DebugProtocol } from '@vscode/debugprotocol';

import type { RegisterState } from '../api/types.js';
import type { Frame } from '../api/debug.js';

const general = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip', 'rflags'] as const;
const control = ['cr0', 'cr2', 'cr3', 'cr4', 'efer'] as const;
const segments = ['cs', 'ds', 'es', 'fs', 'gs', 'ss'] as const;
const xmm = Array.from({ length: 16 }, (_, i) => `xmm${i}` as keyof RegisterState & `xmm${number}`);

/** The registers setVariable may change: the general-purpose ones. */
export const writableRegisters: readonly string[] = general;

export const hex = (value: bigint | number) => `0x${value.toString(16)}`;

function flagsText(registers: RegisterState): string {
  const set = Object.entries(registers.flags)
    .filter(([name, on]) => name !== 'iopl' && on === true)
    .map(([name]) => name.toUpperCase());
  return set.length ? ` [${set.join(' ')}]` : '';
}

function variable(name: string, value: string, type = 'u64'): DebugProtocol.Variable {
  return { name, value, type, evaluateName: `$${name}`, variablesReference: 0 };
}

export function registerVariables(registers: RegisterState): DebugProtocol.Variable[] {
  return [
    ...general.map((name) => variable(name, hex(registers[name]) + (name === 'rflags' ? flagsText(registers) : ''))),
    ...segments.map((name) => variable(name, hex(registers[name].selector), 'u16')),
    ...control.map((name) => variable(name, hex(registers[name]))),
    ...xmm.map((name) => variable(name, hex(registers[name]), 'u128')),
    variable('mxcsr', hex(registers.mxcsr), 'u32'),
  ];
}

export function callerRegisterVariables(frame: Frame): DebugProtocol.Variable[] {
  return [variable('rip', hex(frame.rip)), variable('rsp', hex(frame.rsp))];
}

/** A register's value as typed: decimal, 0x-hex, negative for two's complement. */
export function parseRegisterValue(text: string): bigint {
  const match = /^\s*(-?)(0x[0-9a-f]+|\d+)\s*$/i.exec(text);
  if (!match) throw new Error(`'${text}' is not a register value: use decimal or 0x-hex`);
  const value = BigInt(match[2]!);
  const signed = match[1] ? -value : value;
  if (signed < -(2n ** 63n) || signed >= 2n ** 64n) throw new Error(`${text} does not fit in 64 bits`);
  return BigInt.asUintN(64, signed);
}
