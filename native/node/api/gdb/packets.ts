// The GDB remote serial protocol's framing: `$data#cs` packets with a two-digit hex
// checksum, `+`/`-` acknowledgements, and a lone 0x03 byte for an interrupt (Ctrl-C).
// In binary data (the X packet) `}` escapes `#`, `$`, `}` and `*` as the byte XOR 0x20.

export type Incoming = { kind: 'packet'; data: Buffer } | { kind: 'interrupt' } | { kind: 'bad' };

/** Splits a byte stream into packets; feed it chunks as they arrive. */
export class PacketReader {
  #buffer = Buffer.alloc(0);

  push(chunk: Buffer): Incoming[] {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const out: Incoming[] = [];
    for (;;) {
      const start = this.#findStart(out);
      if (start < 0) break;
      const hash = this.#buffer.indexOf(0x23 /* # */, start + 1);
      if (hash < 0 || hash + 3 > this.#buffer.length) {
        this.#buffer = this.#buffer.subarray(start);
        break;
      }
      const data = this.#buffer.subarray(start + 1, hash);
      const expected = Number.parseInt(this.#buffer.subarray(hash + 1, hash + 3).toString('latin1'), 16);
      this.#buffer = this.#buffer.subarray(hash + 3);
      out.push(checksum(data) === expected ? { kind: 'packet', data: Buffer.from(data) } : { kind: 'bad' });
    }
    return out;
  }

  // Skips acks and noise up to the next `$`, reporting interrupts on the way.
  #findStart(out: Incoming[]): number {
    for (let i = 0; i < this.#buffer.length; i++) {
      const byte = this.#buffer[i];
      if (byte === 0x24 /* $ */) return i;
      if (byte === 0x03) out.push({ kind: 'interrupt' });
    }
    this.#buffer = Buffer.alloc(0);
    return -1;
  }
}

export function checksum(data: Uint8Array): number {
  let sum = 0;
  for (const byte of data) sum = (sum + byte) & 0xff;
  return sum;
}

/** A reply packet, framed. */
export function frame(data: string | Buffer): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  return Buffer.concat([Buffer.from('$'), body, Buffer.from(`#${checksum(body).toString(16).padStart(2, '0')}`)]);
}

/** The X packet's binary data, unescaped. */
export function unescapeBinary(data: Uint8Array): Buffer {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) out.push(data[i] === 0x7d ? data[++i]! ^ 0x20 : data[i]!);
  return Buffer.from(out);
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function fromHex(text: string): Buffer {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) throw new Error(`'${text}' is not hex bytes`);
  return Buffer.from(text, 'hex');
}
