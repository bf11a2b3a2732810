// What time travel costs (emulated backend), each beside its floor in the same run:
// - record_overhead_fib20, record_overhead_sqlite: a debugged call run to its end with the
//   recording on, against the same debugged run without it (fib(20); the SQLite guest's
//   point query). Goal: at most 1.5x (rr's published overhead is 1.2-1.4x).
// - reverse_step: one reverse instruction step near the end of a call of over 10 million
//   instructions (fib(28)), the median from places spread over its last checkpoint
//   interval; and last_write there: the last write of the byte fib(28) saved RBP in at its
//   start, a page every part of the call writes (the worst case: it replays them all).
//   Goals: under 50 ms and under 1 s; absolute, so reported without a floor.
// How many bytes the recording holds per million instructions is logged.
// On KVM, record_on_kvm_fib20: a recorded debugged run of fib(20) on KVM (run there to its
// end, then replayed on the emulated twin and checked) against the same recorded run on
// the emulated backend: what recording on KVM adds. Reported, no goal.
import { type Backend } from '../api/types.js';
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
  if (backend === 'kvm') return [await recordingOnKvm(rounds, log, progress)];
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
    // The slot fib(28)'s prologue saves RBP in: written once, at the start; every segment
    // after writes its page, so the search replays them all.
    const savedRbp = session.stop.registers.rsp - 8n;
    const end = await session.continue();
    const recording = session.recording!;
    log(
      `time travel: fib(28) recorded: ${recording.end.toLocaleString('en')} instructions, ${recording.checkpoints} checkpoints, ` +
        `${(recording.bytes / 2 ** 20).toFixed(1)} MiB (${Math.round(recording.bytes / (recording.end / 1e6)).toLocaleString('en')} bytes per million instructions)`,
    );
    // From 9 places spread over the last checkpoint interval: a step back replays from the
    // checkpoint before it, anything from a few instructions to the whole interval.
    const steps: number[] = [];
    let stop = end;
    for (let i = 0; i < 9; i++) {
      const from = recording.end - 1 - Math.floor((i * recording.checkpointInterval) / 9);
      await session.goTo(from);
      const start = process.hrtime.bigint();
      stop = await session.stepBackInstruction();
      steps.push(Number(process.hrtime.bigint() - start));
      if (stop.position !== from - 1) throw new Error(`a reverse step from ${from} went to ${stop.position}`);
    }
    log(`time travel: reverse steps in the last interval of fib(28): ${steps.map((ns) => (ns / 1e6).toFixed(2)).join(', ')} ms`);
    const searches: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = process.hrtime.bigint();
      const found = await session.lastWrite(savedRbp, 1);
      searches.push(Number(process.hrtime.bigint() - start));
      if (!found.found || found.position! > 10) throw new Error(`last_write found the saved RBP's write at ${found.position}`);
    }
    session.end();
    cases.push({ name: 'reverse_step', engine_ns: median(steps) }, { name: 'last_write', engine_ns: median(searches) });
  } finally {
    demo.dispose();
  }

  const { guest: sqlite, statement } = await peopleGuest(backend);
  try {
    await warmUp(sqlite, 'query', [statement, 4321n], log);
    const query = await sqlite.debug('query', [statement, 4321n], { record: true });
    await query.continue();
    const held = query.recording!;
    log(
      `time travel: the point query recorded: ${held.end.toLocaleString('en')} instructions, ${held.checkpoints} checkpoints, ` +
        `${(held.bytes / 2 ** 20).toFixed(2)} MiB (${Math.round(held.bytes / (held.end / 1e6)).toLocaleString('en')} bytes per million instructions)`,
    );
    query.end();
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

async function recordingOnKvm(rounds: number, log: (line: string) => void, progress: (line: string) => void): Promise<Case> {
  const boxes: Sandbox[] = [];
  const made = async (backend: Backend) => {
    const box = await Sandbox.create(demoGuestPath, { backend });
    boxes.push(box);
    await warmUp(box, 'fib', [20], (line) => log(`${line} (${backend})`));
    return box;
  };
  try {
    const kvm = await made('kvm');
    const emulated = await made('emulated');
    const plain = await debuggedRun(kvm, 'fib', [20], false);
    log(`time travel: fib(20) debugged on kvm without recording: ${(plain / 1e6).toFixed(1)} ms`);
    progress(`record_on_kvm_fib20, ${rounds} rounds`);
    return await interleaved(
      'record_on_kvm_fib20',
      rounds,
      () => debuggedRun(kvm, 'fib', [20], true),
      () => debuggedRun(emulated, 'fib', [20], true),
    );
  } finally {
    for (const box of boxes) box.dispose();
  }
}
