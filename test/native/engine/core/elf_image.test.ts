// The ELF loader against malformed files: every validation rule has its own message, a
// file cut at any header boundary is refused, and random damage never gets past the
// checks into a crash.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { ElfError, MicroscopeError, Sandbox } from '../../../../native/node/api/index.js';
import { demoGuestPath } from '../../../helpers.js';

const demo = readFileSync(demoGuestPath);

/** A copy of the demo guest with accessors for the fields the tests damage. */
class Elf {
  readonly bytes: Buffer;
  constructor(bytes: Buffer = demo) {
    this.bytes = Buffer.from(bytes);
  }
  get phoff() {
    return Number(this.bytes.readBigUInt64LE(32));
  }
  get shoff() {
    return Number(this.bytes.readBigUInt64LE(40));
  }
  get phnum() {
    return this.bytes.readUInt16LE(56);
  }
  get shnum() {
    return this.bytes.readUInt16LE(60);
  }
  phdr(i: number) {
    return this.phoff + 56 * i;
  }
  shdr(i: number) {
    return this.shoff + 64 * i;
  }
  loadSegments(): number[] {
    return [...Array(this.phnum).keys()].filter((i) => this.bytes.readUInt32LE(this.phdr(i)) === 1);
  }
  sectionName(i: number): string {
    const names = this.shdr(this.bytes.readUInt16LE(62));
    const offset = Number(this.bytes.readBigUInt64LE(names + 24)) + this.bytes.readUInt32LE(this.shdr(i));
    return this.bytes.toString('latin1', offset, this.bytes.indexOf(0, offset));
  }
  section(name: string): number {
    const index = [...Array(this.shnum).keys()].find((i) => this.sectionName(i) === name);
    if (index === undefined) throw new Error(`no section ${name}`);
    return index;
  }
  sectionOfType(type: number): number {
    return [...Array(this.shnum).keys()].find((i) => this.bytes.readUInt32LE(this.shdr(i) + 4) === type)!;
  }
  u16(offset: number, value: number) {
    this.bytes.writeUInt16LE(value, offset);
    return this;
  }
  u32(offset: number, value: number) {
    this.bytes.writeUInt32LE(value, offset);
    return this;
  }
  u64(offset: number, value: bigint | number) {
    this.bytes.writeBigUInt64LE(BigInt(value), offset);
    return this;
  }
}

function elfError(bytes: Uint8Array): string {
  try {
    Sandbox.inspect(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(ElfError);
    return (error as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('the ELF loader', () => {
  it('reads the demo guest', () => {
    const info = Sandbox.inspect(demo);
    expect(info.positionIndependent).toBe(false);
    expect(info.functions.map((f) => f.name)).toContain('fib');
  });

  it('refuses each broken header field with its own message', () => {
    const cases: [string, (elf: Elf) => Elf, string | RegExp][] = [
      ['magic', (e) => e.u32(0, 0x464c457e), 'bad magic: not an ELF file (it does not start with 7f 45 4c 46)'],
      ['class', (e) => ((e.bytes[4] = 1), e), 'bad class 1: only 64-bit ELF (ELFCLASS64 = 2) is supported'],
      ['data', (e) => ((e.bytes[5] = 2), e), 'bad data encoding 2: only little-endian ELF (ELFDATA2LSB = 1) is supported'],
      ['version', (e) => e.u32(20, 7), 'bad ELF version 7: expected 1'],
      ['type', (e) => e.u16(16, 1), 'bad type 1 (ET_REL, a relocatable object: link it into an executable): expected an executable, ET_EXEC or ET_DYN'],
      ['machine', (e) => e.u16(18, 3), 'bad machine 3: Microscope runs x86-64 guests (EM_X86_64 = 62)'],
      ['e_ehsize', (e) => e.u16(52, 40), 'bad e_ehsize 40: an ELF64 header is 64 bytes'],
      ['e_phentsize', (e) => e.u16(54, 32), 'bad e_phentsize 32: an ELF64 program header is 56 bytes'],
      ['e_phnum', (e) => e.u16(56, 0), 'no program headers: nothing to load'],
      ['e_phoff', (e) => e.u64(32, 0xffff_ffff_ffff_fff0n), /^truncated: program headers \[0xfffffffffffffff0, .*\) extend past the end of the file/],
      ['e_shentsize', (e) => e.u16(58, 40), 'bad e_shentsize 40: an ELF64 section header is 64 bytes'],
      ['e_shoff', (e) => e.u64(40, demo.length - 10), /^truncated: section headers .* extend past the end of the file/],
      ['e_shstrndx', (e) => e.u16(62, 999), /^bad e_shstrndx 999: there are \d+ sections$/],
      ['e_shnum', (e) => e.u16(60, 0), 'no section headers, so no microscope_exports section: build the guest with the Microscope SDK'],
    ];
    for (const [field, damage, message] of cases) {
      const error = elfError(damage(new Elf()).bytes);
      if (typeof message === 'string') expect(error, field).toBe(message);
      else expect(error, field).toMatch(message);
    }
  });

  it('refuses broken segments', () => {
    const elf = new Elf();
    const [code, , data] = elf.loadSegments();
    const at = (e: Elf, i: number) => e.phdr(i);
    const cases: [(e: Elf) => Elf, string | RegExp][] = [
      [(e) => e.u64(at(e, code!) + 8, demo.length), /^segment \d: file range \[0x[0-9a-f]+, 0x[0-9a-f]+\) extends past the end of the file/],
      [(e) => e.u64(at(e, data!) + 32, 0x200).u64(at(e, data!) + 40, 0x100), /^segment \d: p_filesz 0x200 > p_memsz 0x100$/],
      [(e) => e.u64(at(e, code!) + 40, 0xffff_ffff_ffff_ff00n), /^segment \d: address range at 0x100000 \+ 0xffffffffffffff00 overflows$/],
      [(e) => e.u64(24, 0x200000), 'entry point 0x200000 is not inside an executable segment'],
      [(e) => e.u64(24, 0x102100), 'entry point 0x102100 is not inside an executable segment'], // read-only data
      [(e) => e.u64(at(e, data!) + 16, 0x100800), /^segments \d and \d overlap at 0x100800$/],
      [(e) => e.u32(at(e, code!), 3), /^segment \d: PT_INTERP asks for a dynamic loader; build the guest with -static or -static-pie$/],
      [
        (e) => {
          for (const i of e.loadSegments()) e.u32(at(e, i), 0);
          return e;
        },
        'no loadable segment (PT_LOAD)',
      ],
    ];
    for (const [damage, message] of cases) {
      const error = elfError(damage(new Elf()).bytes);
      if (typeof message === 'string') expect(error).toBe(message);
      else expect(error).toMatch(message);
    }
  });

  it("refuses segments outside guest memory or over the engine's own regions", async () => {
    const move = (vaddr: number) => {
      const elf = new Elf();
      const [code] = elf.loadSegments();
      elf.u64(elf.phdr(code!) + 16, vaddr);
      elf.u64(24, vaddr); // keep the entry inside it
      return elf.bytes;
    };
    await expect(Sandbox.create(move(0x8000))).rejects.toThrow(
      /^segment \d \[0x8000, 0x[0-9a-f]+\) overlaps the engine's page tables \[0x8000, 0x[0-9a-f]+\); link the guest at 0x100000/,
    );
    await expect(Sandbox.create(move(0x2000))).rejects.toThrow(/overlaps the engine's GDT/);
    await expect(Sandbox.create(move(0x4000_0000))).rejects.toThrow(/^segment \d \[0x40000000, .*\) is outside guest memory \(16 MiB\)$/);
    await expect(Sandbox.create(move(0xffe000))).rejects.toThrow(/overlaps the stack and its guard page/);
    await expect(Sandbox.create(move(0x8000))).rejects.toThrow(ElfError);
  });

  it('refuses broken sections, symbols and export records', () => {
    const cases: [(e: Elf) => Elf, string | RegExp][] = [
      [(e) => e.u64(e.shdr(e.section('.text')) + 24, demo.length), /^section \d+: file range .* extends past the end of the file/],
      [(e) => e.u32(e.shdr(e.section('.text')), 0xffffff), /^section \d+: name offset 0xffffff is outside the section name table$/],
      [(e) => e.u64(e.shdr(e.sectionOfType(2)) + 56, 16), 'symbol table: bad sh_entsize 16: an Elf64_Sym is 24 bytes'],
      [(e) => e.u32(e.shdr(e.sectionOfType(2)) + 40, 9999), 'symbol table: sh_link 9999 names no section'],
      [
        (e) => {
          const s = e.shdr(e.sectionOfType(2));
          return e.u32(Number(e.bytes.readBigUInt64LE(s + 24)) + 24, 0x7fffffff);
        },
        /^symbol 1: name offset 0x7fffffff is outside the string table/,
      ],
      [
        (e) => {
          const s = e.shdr(e.section('microscope_exports'));
          e.bytes.write('xicroscope', Number(e.bytes.readBigUInt64LE(e.shdr(e.bytes.readUInt16LE(62)) + 24)) + e.bytes.readUInt32LE(s), 'latin1');
          return e;
        },
        'no microscope_exports section: the guest exports no functions (build it with the Microscope SDK)',
      ],
      [(e) => e.u64(e.shdr(e.section('microscope_exports')) + 32, 287), 'microscope_exports section: size 287 is not a multiple of the 288-byte record'],
      [(e) => e.u32(Number(e.bytes.readBigUInt64LE(e.shdr(e.section('microscope_exports')) + 24)), 0), 'export record 0: bad magic 0x0'],
      [(e) => ((e.bytes[Number(e.bytes.readBigUInt64LE(e.shdr(e.section('microscope_exports')) + 24)) + 5] = 42), e), 'export record 0: bad return type 42'],
      [
        (e) => ((e.bytes[Number(e.bytes.readBigUInt64LE(e.shdr(e.section('microscope_exports')) + 24)) + 6] = 17), e),
        'export record 0: 17 parameters (at most 16)',
      ],
      [
        (e) => {
          const r = Number(e.bytes.readBigUInt64LE(e.shdr(e.section('microscope_exports')) + 24));
          e.bytes.fill(0x41, r + 24, r + 280);
          return e;
        },
        'export record 0: names are not NUL-terminated inside the record',
      ],
    ];
    for (const [damage, message] of cases) {
      const error = elfError(damage(new Elf()).bytes);
      if (typeof message === 'string') expect(error).toBe(message);
      else expect(error).toMatch(message);
    }
  });

  it('refuses a file cut at every header boundary', () => {
    const elf = new Elf();
    const lengths = new Set<number>([0, 1, 4, 5, 16, 52, 63, 64]);
    for (let i = 0; i <= elf.phnum; i++) lengths.add(elf.phdr(i) - 1).add(elf.phdr(i));
    for (let i = 0; i <= elf.shnum; i++) lengths.add(elf.shdr(i) - 1).add(elf.shdr(i));
    for (const i of elf.loadSegments()) lengths.add(Number(elf.bytes.readBigUInt64LE(elf.phdr(i) + 8)) + 1);
    lengths.add(demo.length - 1);
    for (const length of [...lengths].filter((n) => n >= 0 && n < demo.length)) {
      const error = elfError(demo.subarray(0, length));
      expect(error.length).toBeGreaterThan(10);
      if (length < 64 && length >= 4) expect(error).toBe(`truncated: the ELF header needs 64 bytes, the file has ${length}`);
    }
  });

  it('never crashes on random damage: each file is loaded and runs, or gets a clear error', async () => {
    let seed = 0x2545f491;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const elf = new Elf();
    const headers = [0, 64, elf.phoff, elf.phoff + 56 * elf.phnum, elf.shoff, elf.shoff + 64 * elf.shnum];
    let loaded = 0;
    for (let round = 0; round < 400; round++) {
      const bytes = Buffer.from(demo);
      for (let n = 1 + Math.floor(random() * 6); n > 0; n--) {
        const area = Math.floor(random() * 3) * 2;
        const offset = headers[area]! + Math.floor(random() * (headers[area + 1]! - headers[area]!));
        bytes[offset] = Math.floor(random() * 256);
      }
      try {
        const sandbox = await Sandbox.create(bytes, { timeoutMs: 200 });
        loaded++;
        await sandbox.call('add', 1n, 2n).catch((e: unknown) => expect(e).toBeInstanceOf(MicroscopeError));
        sandbox.dispose();
      } catch (error) {
        expect(error).toBeInstanceOf(MicroscopeError);
      }
    }
    expect(loaded).toBeGreaterThan(0);
  });
});
