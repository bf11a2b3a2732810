// Guests that break the ABI: every frame they write is checked, each gets its documented
// outcome, and the sandbox works for the next call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GuestAbort, GuestFault, Sandbox } from '../../../../native/node/api/index.js';
import { testGuest } from '../../../helpers.js';

describe('a hostile guest', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.create(testGuest('hostile'));
  });
  afterAll(() => sandbox.dispose());

  const cases: [string, string, RegExp][] = [
    ['host_frame_longer_than_buffer', 'bad frame', /host call: frame length 2147483647 is larger than the 65536-byte buffer/],
    ['host_frame_offset_outside', 'bad frame', /host call: slot 0: str of 5 bytes at offset 0xffffffffffffff00 runs past the end of the 64-byte frame/],
    ['host_frame_str_without_nul', 'bad frame', /host call: slot 0: str is not NUL-terminated/],
    ['host_frame_bad_type', 'bad frame', /host call: slot 0: bad type 200/],
    ['abort_frame_garbage', 'bad frame', /abort: bad frame magic 0xabababab/],
    ['result_frame_claiming_4gib', 'bad frame', /result: frame length 4294967295 is larger than the 65536-byte buffer/],
    ['out_to_unknown_port', 'bad port', /out to port 0x1234, which the engine does not serve/],
    ['in_from_unknown_port', 'bad port', /in from port 0x60, which the engine does not serve/],
    ['ud2', '#UD', /#UD at 0x[0-9a-f]+ \(ud2(\+0x[0-9a-f]+)?\)/],
    ['int3', '#BP', /#BP at/],
    ['write_page_tables', '#PF', /CR2 0x8000/],
    ['write_control_block', '#PF', /CR2 0x1000/],
  ];

  for (const [name, vector, message] of cases) {
    it(`${name}: ${vector}`, async () => {
      const error = (await sandbox.call(name).catch((e: unknown) => e)) as GuestFault;
      expect(error).toBeInstanceOf(GuestFault);
      expect(error.vector).toBe(vector);
      expect(error.message).toMatch(message);
      expect(await sandbox.call('stray_hlt').catch((e: GuestFault) => e.vector)).toBe('stray hlt');
    });
  }

  it('answers a syscall the guest has no handler for with -ENOSYS, and goes on after it', async () => {
    expect(await sandbox.call('syscall')).toBe(-38n);
  });

  it('has an abort message too long for the buffer cut, not lost', async () => {
    const error = (await sandbox.call('abort_with_huge_message').catch((e: unknown) => e)) as GuestAbort;
    expect(error).toBeInstanceOf(GuestAbort);
    expect(error.code).toBe(5);
    expect(error.message.length).toBeGreaterThan(60_000);
    expect(error.message.length).toBeLessThan(65_536);
    expect(/^x+$/.test(error.message)).toBe(true);
  });
});
