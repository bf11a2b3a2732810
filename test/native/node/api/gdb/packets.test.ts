// The remote protocol's framing: checksums, acks and interrupts between packets, packets
// split across reads, and the X packet's escapes.
import { describe, expect, it } from 'vitest';

import { frame, PacketReader, unescapeBinary } from '../../../../../native/node/api/gdb/packets.js';

describe('gdb packets', () => {
  it('frame replies with their checksum', () => {
    expect(frame('OK').toString()).toBe('$OK#9a');
    expect(frame('').toString()).toBe('$#00');
  });

  it('are read across chunks, with acks skipped, interrupts reported and bad checksums caught', () => {
    const reader = new PacketReader();
    const supported = frame('qSupported').toString();
    expect(supported).toBe('$qSupported#37');
    expect(reader.push(Buffer.from('+' + supported.slice(0, 7)))).toEqual([]);
    expect(reader.push(Buffer.from(supported.slice(7) + '+'))).toEqual([{ kind: 'packet', data: Buffer.from('qSupported') }]);
    expect(reader.push(Buffer.from('\x03$g#67$m0,4#00'))).toEqual([{ kind: 'interrupt' }, { kind: 'packet', data: Buffer.from('g') }, { kind: 'bad' }]);
  });

  it('unescape binary data', () => {
    expect([...unescapeBinary(Uint8Array.of(0x01, 0x7d, 0x5d, 0x7d, 0x03, 0xff))]).toEqual([0x01, 0x7d, 0x23, 0xff]);
  });
});
