// What time travel costs (emulated backend), each beside its floor in the same run:
// - record_overhead_fib20, record_overhead_sqlite: a debugged call run to its end with the
//   recording on, against the same debugged run without it (fib(20); the SQLite guest's
//   point query). Goal: at most 1.5x (rr's published overhead is 1.2-1.4x).
// - reverse_step: one reverse instruction step at the end of a call of over 10 million
//   instructions (fib(28)), and last_write: the last write of a byte of its stack there.
//   Goals: under 50 ms and under 1 s; absolute, so reported without a floor.
// How many bytes the recording holds per million instructions is logged.
import { demoGuestPath } from '../api/paths.js';
import { Sandbox } from '../api/sandbox.js';
import { type Case, interleaved, median } from './rounds.js';
import { peopleGuest } from './sqlite.js';

/** A debugged call of `name` from its entry to its end, recorded or not: nanoseconds. */
async function debuggedRun(box: Sandbox, name: string, args: (bigint | number)[], record: boolean): Promise<number> {
  const start = process.hrtime.bigint();
  const session = await box.debug(name, args, { record });
  const end = await session.continue();
  const ns = Number(process.hrtime.bigint() - start);
  if (end.reason !== 'exit') throw new Error(`${name} stopped (${end.reason}) before its end`);
  session.end();
  return ns;
}

/**
 * A sandbox's first debugged runs translate its code again (the debugger's hooks reach only
 * code translated after them) and the first recorded one decodes each block it counts
 * (kept for the next): both logged, not measured.
 */
async function warmUp(box: Sandbox, name: string, args: (bigint | number)[], log: (line: string) => void): Promise<void> {
  const plain = await debuggedRun(box, name, args, false);
  const recorded = await debuggedRun(box, name, args, true);
  log(`time travel: ${name}'s first debugged runs: ${(plain / 1e6).toFixed(1)} ms, then recorded ${(recorded / 1e6).toFixed(1)} ms`);
}

export async function timeTravelCases(
  backend: 'emulated' | 'kvm',
  rounds: number,
  log: (line: string) => void,
  progress: (line: string) => void,
): Promise<Case[]> {
  if (backend !== 'emulated') {
    log('time travel: recording needs the emulated backend; record_overhead, reverse_step and last_write not measured');
    return [];
  }
  const cases: Case[] = [];
  const demo = await Sandbox.create(demoGuestPath, { backend });
  try {
    await warmUp(demo, 'fib', [20], log);
    progress(`record_overhead_fib20, ${rounds} rounds`);
    cases.push(
      await interleaved(
        'record_overhead_fib20',
        rounds,
        () => debuggedRun(demo, 'fib', [20], true),
        () => debuggedRun(demo, 'fib', [20], false),
      ),
    );

    progress('reverse_step, last_write');
    const session = await demo.debug('fib', [28], { record: true });
    const end = await session.continue();
    const recording = session.recording!;
    log(
      `time travel: fib(28) recorded: ${recording.end.toLocaleString('en')} instructions, ${recording.checkpoints} checkpoints, ` +
        `${(recording.bytes / 2 ** 20).toFixed(1)} MiB (${Math.round(recording.bytes / (recording.end / 1e6)).toLocaleString('en')} bytes per million instructions)`,
    );
    const steps: number[] = [];
    let stop = end;
    for (let i = 0; i < 9; i++) {
      const start = process.hrtime.bigint();
      stop = await session.stepBackInstruction();
      steps.push(Number(process.hrtime.bigint() - start));
    }
    if (stop.position !== recording.end - 9) throw new Error(`reverse steps went to ${stop.position}, not ${recording.end - 9}`);
    const searches: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = process.hrtime.bigint();
      const found = await session.lastWrite(stop.registers.rsp - 24n, 1);
      searches.push(Number(process.hrtime.bigint() - start));
      if (!found.found) throw new Error('last_write found no write of the stack byte');
    }
    session.end();
    cases.push({ name: 'reverse_step', engine_ns: median(steps) }, { name: 'last_write', engine_ns: median(searches) });
  } finally {
    demo.dispose();
  }

  const { guest: sqlite, statement } = await peopleGuest(backend);
  try {
    await warmUp(sqlite, 'query', [statement, 4321n], log);
    progress(`record_overhead_sqlite, ${rounds} rounds`);
    cases.push(
      await interleaved(
        'record_overhead_sqlite',
        rounds,
        () => debuggedRun(sqlite, 'query', [statement, 4321n], true),
        () => debuggedRun(sqlite, 'query', [statement, 4321n], false),
      ),
    );
  } finally {
    sqlite.dispose();
  }
  return cases;
}
