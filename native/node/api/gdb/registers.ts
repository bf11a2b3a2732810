// The x86-64 register file as GDB asks for it: a target description (target.xml) with the
// features gdb's amd64 support requires, org.gnu.gdb.i386.core and org.gnu.gdb.i386.sse,
// and the `g`/`p` encoding of each register in its order, little-endian hex. The x87
// registers are part of the core feature; the engine doesn't expose them, so they read
// as the state after FNINIT and writes to them are ignored.
import type { RegisterChanges, RegisterState } from '../types.js';

interface RegisterSpec {
  name: string;
  bits: number;
  type: string;
  group?: string;
  /** How to read it from the engine's state; undefined: an x87 register (FNINIT's value). */
  read?: (r: RegisterState) => bigint;
  /** The change that writes it. */
  write?: (value: bigint) => RegisterChanges;
  fninit?: bigint;
}

const general = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'] as const;
const segments = ['cs', 'ss', 'ds', 'es', 'fs', 'gs'] as const;

export const registerSpecs: RegisterSpec[] = [
  ...general.map((name) => ({
    name,
    bits: 64,
    type: name === 'rbp' || name === 'rsp' ? 'data_ptr' : 'int64',
    read: (r: RegisterState) => r[name],
    write: (v: bigint) => ({ [name]: v }),
  })),
  { name: 'rip', bits: 64, type: 'code_ptr', read: (r) => r.rip, write: (v) => ({ rip: v }) },
  { name: 'eflags', bits: 32, type: 'i386_eflags', read: (r) => r.rflags, write: (v) => ({ rflags: v }) },
  ...segments.map((name) => ({
    name,
    bits: 32,
    type: 'int32',
    read: (r: RegisterState) => BigInt(r[name].selector),
    write: (v: bigint) => ({ [name]: { selector: v } }),
  })),
  ...Array.from({ length: 8 }, (_, i) => ({ name: `st${i}`, bits: 80, type: 'i387_ext' })),
  ...['fctrl', 'fstat', 'ftag', 'fiseg', 'fioff', 'foseg', 'fooff', 'fop'].map((name) => ({
    name,
    bits: 32,
    type: 'int',
    group: 'float',
    fninit: name === 'fctrl' ? 0x37fn : name === 'ftag' ? 0xffffn : 0n,
  })),
  ...Array.from({ length: 16 }, (_, i) => ({
    name: `xmm${i}`,
    bits: 128,
    type: 'vec128',
    read: (r: RegisterState) => r[`xmm${i}` as 'xmm0'],
    write: (v: bigint) => ({ [`xmm${i}`]: v }),
  })),
  { name: 'mxcsr', bits: 32, type: 'i386_mxcsr', group: 'vector', read: (r) => BigInt(r.mxcsr), write: (v) => ({ mxcsr: Number(v) }) },
];

const sseStart = registerSpecs.findIndex((r) => r.name === 'xmm0');

function reg(spec: RegisterSpec, regnum: number): string {
  return `<reg name="${spec.name}" bitsize="${spec.bits}" type="${spec.type}" regnum="${regnum}"${spec.group ? ` group="${spec.group}"` : ''}/>`;
}

const eflags = ['CF', '', 'PF', 'AF', 'ZF', 'SF', 'TF', 'IF', 'DF', 'OF', 'NT', 'RF', 'VM', 'AC', 'VIF', 'VIP', 'ID'];
const eflagBits = [0, 1, 2, 4, 6, 7, 8, 9, 10, 11, 14, 16, 17, 18, 19, 20, 21];

export const targetXml = [
  '<?xml version="1.0"?>',
  '<!DOCTYPE target SYSTEM "gdb-target.dtd">',
  '<target version="1.0">',
  '<architecture>i386:x86-64</architecture>',
  '<feature name="org.gnu.gdb.i386.core">',
  '<flags id="i386_eflags" size="4">',
  ...eflags.map((name, i) => (name ? `<field name="${name}" start="${eflagBits[i]}" end="${eflagBits[i]}"/>` : '')).filter(Boolean),
  '</flags>',
  ...registerSpecs.slice(0, sseStart).map(reg),
  '</feature>',
  '<feature name="org.gnu.gdb.i386.sse">',
  '<vector id="v4f" type="ieee_single" count="4"/>',
  '<vector id="v2d" type="ieee_double" count="2"/>',
  '<vector id="v16i8" type="int8" count="16"/>',
  '<vector id="v8i16" type="int16" count="8"/>',
  '<vector id="v4i32" type="int32" count="4"/>',
  '<vector id="v2i64" type="int64" count="2"/>',
  '<union id="vec128"><field name="v4_float" type="v4f"/><field name="v2_double" type="v2d"/>' +
    '<field name="v16_int8" type="v16i8"/><field name="v8_int16" type="v8i16"/><field name="v4_int32" type="v4i32"/>' +
    '<field name="v2_int64" type="v2i64"/><field name="uint128" type="uint128"/></union>',
  '<flags id="i386_mxcsr" size="4"><field name="IE" start="0" end="0"/><field name="DE" start="1" end="1"/>' +
    '<field name="ZE" start="2" end="2"/><field name="OE" start="3" end="3"/><field name="UE" start="4" end="4"/>' +
    '<field name="PE" start="5" end="5"/><field name="DAZ" start="6" end="6"/><field name="IM" start="7" end="7"/>' +
    '<field name="DM" start="8" end="8"/><field name="ZM" start="9" end="9"/><field name="OM" start="10" end="10"/>' +
    '<field name="UM" start="11" end="11"/><field name="PM" start="12" end="12"/><field name="FZ" start="15" end="15"/></flags>',
  ...registerSpecs.slice(sseStart).map((spec, i) => reg(spec, sseStart + i)),
  '</feature>',
  '</target>',
].join('\n');

function littleEndian(value: bigint, bytes: number): string {
  const out = Buffer.alloc(bytes);
  let v = BigInt.asUintN(bytes * 8, value);
  for (let i = 0; i < bytes; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out.toString('hex');
}

function fromLittleEndian(hex: string): bigint {
  let value = 0n;
  for (let i = hex.length - 2; i >= 0; i -= 2) value = (value << 8n) | BigInt(Number.parseInt(hex.slice(i, i + 2), 16));
  return value;
}

/** Register `regnum` in the `p` encoding, or undefined when there is none. */
export function encodeRegister(registers: RegisterState, regnum: number): string | undefined {
  const spec = registerSpecs[regnum];
  if (!spec) return undefined;
  return littleEndian(spec.read ? spec.read(registers) : (spec.fninit ?? 0n), spec.bits / 8);
}

/** All registers in the `g` encoding. */
export function encodeRegisters(registers: RegisterState): string {
  return registerSpecs.map((_, regnum) => encodeRegister(registers, regnum)).join('');
}

/** The change that writes `hex` (the `P` encoding) to register `regnum`; {} for a register the engine doesn't have. */
export function decodeRegister(regnum: number, hex: string): RegisterChanges {
  const spec = registerSpecs[regnum];
  if (!spec) throw new Error(`there is no register ${regnum}`);
  if (hex.length !== spec.bits / 4) throw new Error(`register ${spec.name} takes ${spec.bits / 8} bytes`);
  return spec.write ? spec.write(fromLittleEndian(hex)) : {};
}

/** The changes the `G` packet's register file makes. */
export function decodeRegisters(hex: string): RegisterChanges {
  const changes: RegisterChanges = {};
  let offset = 0;
  for (let regnum = 0; regnum < registerSpecs.length && offset < hex.length; regnum++) {
    const width = registerSpecs[regnum]!.bits / 4;
    Object.assign(changes, decodeRegister(regnum, hex.slice(offset, offset + width)));
    offset += width;
  }
  return changes;
}
