// The disassemble request: `count` instructions around an address, some of them before it
// (the disassembly view asks for a screenful either side of the instruction pointer). x86's
// instructions have no fixed length, so the ones before an address are found by decoding
// forward from the start of its function (and the functions before, when that isn't enough).
import { basename } from 'node:path';

import type { DebugProtocol } from '@vscode/debugprotocol';

import type { Instruction } from '../api/debug.js';
import type { Sandbox } from '../api/sandbox.js';
import { hex } from './registers.js';

/** How far back the search for a function's start may go. */
const kMaxLookBehindBytes = 1n << 16n;
/** More than any alignment between two functions. */
const kMaxPaddingBytes = 64n;

function toDap(instruction: Instruction): DebugProtocol.DisassembledInstruction {
  return {
    address: hex(instruction.address),
    instructionBytes: Buffer.from(instruction.bytes).toString('hex'),
    instruction: `${instruction.mnemonic} ${instruction.operands}`.trim(),
    symbol: instruction.symbol,
    ...(instruction.file && { location: { name: basename(instruction.file), path: instruction.file } }),
    ...(instruction.line !== undefined && { line: instruction.line }),
  };
}

function invalid(address: bigint): DebugProtocol.DisassembledInstruction {
  return { address: hex(address < 0n ? 0n : address), instruction: '??', presentationHint: 'invalid' };
}

function safely(sandbox: Sandbox, address: bigint, count: number): Instruction[] {
  if (count <= 0 || address < 0n) return [];
  try {
    return sandbox.disassemble(address, count);
  } catch {
    return [];
  }
}

/** The start of the function holding `address`, from its symbol ("fib+0x1c"). */
function functionStart(sandbox: Sandbox, address: bigint): bigint | undefined {
  const offset = /\+(0x[0-9a-f]+)$/i.exec(sandbox.symbolize(address));
  if (offset) return address - BigInt(offset[1]!);
  return /^[A-Za-z_.$][\w.$]*$/.test(sandbox.symbolize(address)) ? address : undefined;
}

/** Up to `count` whole instructions that end at or before `address`, the last `count` of them. */
function instructionsBefore(sandbox: Sandbox, address: bigint, count: number): Instruction[] {
  let start = address;
  let found: Instruction[] = [];
  while (found.length < count && start > 0n && address - start < kMaxLookBehindBytes) {
    // Between functions, alignment padding belongs to none: look past it.
    let earlier: bigint | undefined;
    for (let probe = start - 1n; probe >= 0n && probe >= start - kMaxPaddingBytes && earlier === undefined; probe--) {
      earlier = functionStart(sandbox, probe);
    }
    if (earlier === undefined || earlier >= start) break;
    start = earlier;
    found = safely(sandbox, start, Number(address - start)).filter((instruction) => instruction.address < address);
  }
  return found.slice(-count);
}

export function disassemble(sandbox: Sandbox, base: bigint, instructionOffset: number, count: number): DebugProtocol.DisassembledInstruction[] {
  const result: DebugProtocol.DisassembledInstruction[] = [];
  const behind = Math.max(0, -instructionOffset);
  if (behind > 0) {
    const before = instructionsBefore(sandbox, base, behind);
    for (let i = before.length; i < behind; i++) result.push(invalid(base - BigInt(behind - i)));
    result.push(...before.map(toDap));
  }
  const skip = Math.max(0, instructionOffset);
  const after = safely(sandbox, base, skip + Math.max(0, count - behind)).slice(skip);
  result.push(...after.map(toDap));
  const last = after.at(-1);
  let next = last ? last.address + BigInt(last.size) : base;
  while (result.length < count) result.push(invalid(next++));
  return result.slice(0, count);
}
