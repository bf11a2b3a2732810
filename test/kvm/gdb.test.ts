// The gdb sessions of the stub's tests (test/native/node/api/gdb/sessions.ts), run by this
// machine's gdb against `microscope gdb --backend kvm` inside the QEMU guest of
// `npm run test:kvm`, through the guest's second serial port. The guest's console tells
// when each stub listens, and its stdout and exit status.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { demoGuestPath, testGuest } from '../helpers.js';
import { gdbArguments, gdbSessions } from '../native/node/api/gdb/sessions.js';

const consolePath = process.env.MICROSCOPE_KVM_CONSOLE!;
const target = process.env.MICROSCOPE_KVM_GDB!;

/** Waits until `find` finds something in the guest's console; returns it. */
async function fromConsole<T>(find: (text: string) => T | undefined, what: string, hopeless = /reboot: Power down/): Promise<T> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const text = readFileSync(consolePath, 'utf8');
    const found = find(text);
    if (found !== undefined) return found;
    // A guest that has powered off (or a stub that has exited) will never show it.
    if (hopeless.test(text) || Date.now() > deadline) throw new Error(`the guest never showed ${what}:\n${text.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('microscope gdb on KVM, with the real gdb', () => {
  it('has a guest to talk to', () => {
    expect(consolePath).toBeTruthy();
    expect(target).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  gdbSessions.forEach((session, i) => {
    it(`${session.call.join(' ')}: ${session.commands.join(', ')}`, async () => {
      const listening = /gdb: (\w+) is paused at its entry on (\w+); listening on \/dev\/ttyS1/g;
      const match = await fromConsole(
        (text) => [...text.matchAll(listening)][i],
        `stub ${i} listening`,
        new RegExp(`^gdb-stub ${i} status|reboot: Power down`, 'm'),
      );
      expect(match[1]).toBe(session.call[0]);
      expect(match[2]).toBe('kvm');
      const elf = session.guest === 'demo' ? demoGuestPath : testGuest(session.guest);
      const result = spawnSync('gdb', gdbArguments(session, target, elf), { encoding: 'utf8', timeout: 300_000 });
      expect(result.error).toBeUndefined();
      const status = await fromConsole((text) => new RegExp(`^gdb-stub ${i} status (\\d+)$`, 'm').exec(text) ?? undefined, `stub ${i}'s exit`);
      const stdout = [...readFileSync(consolePath, 'utf8').matchAll(new RegExp(`^gdb-stub-stdout ${i}: (.*)$`, 'gm'))].map((m) => m[1] + '\n').join('');
      session.check(result.stdout + result.stderr, stdout, Number(status[1]));
    });
  });
});
