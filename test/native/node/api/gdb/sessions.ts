// The gdb sessions the stub's tests drive, and what each must print: shared by the test
// on this machine (stub.test.ts) and the one on KVM inside `npm run test:kvm`
// (test/kvm/gdb.test.ts), which runs them against a stub in the QEMU guest.
import { expect } from 'vitest';

export interface GdbSession {
  /** The guest (demo or a test guest's name) and the call the stub debugs. */
  guest: string;
  call: string[];
  /** The stub's options besides the call: `--record`, say. */
  options?: string[];
  commands: string[];
  /** Checks gdb's output and the stub's stdout and exit status. */
  check(gdbOutput: string, stubStdout: string, stubStatus: number | null): void;
}

export const fibSession: GdbSession = {
  guest: 'demo',
  call: ['fib', '10'],
  commands: ['break fib', 'continue', 'continue', 'bt', 'info registers', 'x/8gx $rsp', 'stepi', 'delete', 'finish', 'continue'],
  check(text, stdout, status) {
    expect(text).toContain('fib (n=10) at demo/demo.c:'); // the entry
    expect(text).toMatch(/Breakpoint 1, fib \(n=n@entry=9\) at demo\/demo\.c:\d+/);
    expect(text).toMatch(/Breakpoint 1, fib \(n=n@entry=8\) at demo\/demo\.c:\d+/);
    const frames = text.match(/^#\d .*$/gm)!;
    expect(frames[0]).toMatch(/^#0 {2}fib \(n=n@entry=8\) at demo\/demo\.c:\d+$/);
    expect(frames[1]).toMatch(/^#1 {2}0x[0-9a-f]+ in fib \(n=n@entry=9\) at demo\/demo\.c:\d+$/);
    expect(frames[2]).toMatch(/^#2 {2}0x[0-9a-f]+ in fib \(n=10\) at demo\/demo\.c:\d+$/);
    const fib = /^rip\s+(0x[0-9a-f]+)\s+0x[0-9a-f]+ <fib>$/m.exec(text)![1]!;
    expect(text).toMatch(/^rdi\s+0x8\s+8$/m);
    expect(text).toMatch(/^eflags\s+0x[0-9a-f]+\s+\[[ A-Z]*\]$/m); // decoded by the target description's flags
    expect(text).toMatch(/^cs\s+0x8\s+8$/m);
    expect(text).toMatch(/^ss\s+0x10\s+16$/m);
    // [rsp] holds the return address into fib(9): frame #1's pc; x/8gx shows 4 lines of 2.
    const returnAddress = /^#1 {2}(0x[0-9a-f]+) in fib/m.exec(text)![1]!;
    expect(BigInt(/^0x[0-9a-f]+:\s+(0x[0-9a-f]+)/m.exec(text)![1]!)).toBe(BigInt(returnAddress));
    expect(text.match(/^0x[0-9a-f]+:\s+0x[0-9a-f]{16}\s+0x[0-9a-f]{16}$/gm)).toHaveLength(4);
    // stepi moves one instruction into fib.
    expect(text).toMatch(new RegExp(`^0x0*${(BigInt(fib) + 1n).toString(16)}\\s+\\d+\\s`, 'm'));
    // finish: back in fib(9) just past its call, with fib(8)'s value.
    expect(text).toMatch(new RegExp(`^${returnAddress.replace('0x', '0x0*')} in fib \\(n=n@entry=9\\) at demo/demo\\.c:\\d+$`, 'm'));
    expect(text).toMatch(/Value returned is \$1 = 21$/m); // fib(8)
    expect(text).toContain('[Inferior 1 (Remote target) exited with code 067]'); // 55
    expect(status).toBe(0);
    expect(stdout).toBe('55\n');
  },
};

export const watchSession: GdbSession = {
  guest: 'debuggee',
  call: ['sum_squares', '3'],
  commands: ['watch total', 'continue', 'continue', 'continue', 'continue'],
  check(text, stdout, status) {
    const changes = [...text.matchAll(/Old value = (\d+)\nNew value = (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(changes).toEqual([
      [0, 1],
      [1, 5],
      [5, 14],
    ]); // total = 0 changes nothing: gdb goes on
    expect(text).toContain('Hardware watchpoint 1: total');
    expect(text).toContain('[Inferior 1 (Remote target) exited with code 016]'); // 14
    expect(status).toBe(0);
    expect(stdout).toBe('14\n');
  },
};

export const faultSession: GdbSession = {
  guest: 'demo',
  call: ['crash_null'],
  commands: ['continue', 'continue'],
  check(text, _stdout, status) {
    expect(text).toMatch(/Program received signal SIGSEGV, Segmentation fault\.\n(0x[0-9a-f]+ in )?crash_null \(\)/);
    expect(text).toContain('Program terminated with signal SIGSEGV, Segmentation fault.');
    expect(status).toBe(1);
  },
};

// A recorded call: gdb's reverse commands, made of the stub's bs and bc, each checked
// against where the forward run was. On KVM the call ran there to its end first, and
// this is its replay on the emulated twin.
export const reverseSession: GdbSession = {
  guest: 'time_travel',
  call: ['fib_of', '6'],
  options: ['--record'],
  commands: [
    'break fib',
    'continue',
    'continue',
    'continue', // fib(4)
    'reverse-continue', // back to fib(5)'s entry
    'print n',
    'reverse-stepi', // onto fib(6)'s call of fib(5)
    'x/i $pc',
    'watch last_n',
    'delete 1',
    'reverse-continue', // fib(6)'s store of last_n = 6, seen backwards
    'delete',
    'continue', // to the end of the recording
    'reverse-stepi', // the halt stub, as the call returned
    'print/x $rip',
    'reverse-continue', // nothing to stop at: the start
    'continue',
    'continue', // on from the end: the call exits with fib(6) = 8
  ],
  check(text, stdout, status) {
    const hits = [...text.matchAll(/Breakpoint 1, fib \(n=(?:n@entry=)?(\d+)\)/g)].map((m) => Number(m[1]));
    expect(hits).toEqual([6, 5, 4, 5]);
    expect(text).toMatch(/^\$1 = 5$/m);
    expect(text).toMatch(/=> 0x[0-9a-f]+ <fib\+\d+>:\s+call\s+0x[0-9a-f]+ <fib>/);
    // Backwards, gdb names the value after the store "old" and the one before it "new".
    expect(text).toMatch(/Hardware watchpoint 2: last_n\n\nOld value = 6\nNew value = 0\n/);
    expect(text.match(/No more reverse-execution history\./g)).toHaveLength(3); // end, start, end
    expect(text).toMatch(/^\$2 = 0xff000$/m);
    expect(text).toContain('[Inferior 1 (Remote target) exited with code 010]');
    expect(status).toBe(0);
    expect(stdout).toBe('8\n');
  },
};

export const gdbSessions = [fibSession, watchSession, faultSession, reverseSession];

/** gdb's arguments for a session with a stub at `target` ("127.0.0.1:1234"). */
export function gdbArguments(session: GdbSession, target: string, elf: string): string[] {
  const args = ['-batch', '-nx', '-ex', 'set pagination off', '-ex', 'set confirm off', '-ex', `target remote ${target}`];
  for (const command of session.commands) args.push('-ex', command);
  return [...args, elf];
}
