// What the CPU profiler costs the calls it profiles, each beside the same calls unprofiled
// in the same sandbox, in the same run:
// - profile_exact_fib20, profile_exact_sqlite (emulated): fib(20) (21,891 calls deep and
//   wide) and the SQLite guest's point query, every instruction counted. Goal: under 3x.
// - profile_sampled: fib(25), sampled at 1 kHz (on KVM, each sample an exit of the
//   vCPU; on the emulated backend, a yield at a block). Goal: under 1.05x.
// Only the calls are timed: naming the profile at its end (DWARF lookups) is logged apart.
import { demoGuestPath } from '../api/paths.js';
import { Sandbox } from '../api/sandbox.js';
import { type Case, interleaved, median } from './rounds.js';
import { peopleGuest } from './sqlite.js';

type Kind = 'exact' | 'sampled';

/** The median call of `iterations` in restore mode, profiled as `kind` or not at all. */
async function timed(box: Sandbox, name: string, args: (bigint | number | string)[], iterations: number, kind?: Kind): Promise<number> {
  if (kind) box.startCpuProfile(kind, 1000);
  let measured;
  try {
    measured = await box.measure(name, args, { mode: 'restore', iterations });
  } finally {
    if (kind) await box.stopCpuProfile();
  }
  return median(measured.totalNs);
}

export async function cpuProfileCases(
  backend: 'emulated' | 'kvm',
  rounds: number,
  log: (line: string) => void,
  progress: (line: string) => void,
): Promise<Case[]> {
  const cases: Case[] = [];
  const demo = await Sandbox.create(demoGuestPath, { backend });
  try {
    if (backend === 'emulated') {
      progress(`profile_exact_fib20, ${rounds} rounds`);
      cases.push(
        await interleaved(
          'profile_exact_fib20',
          rounds,
          () => timed(demo, 'fib', [20], 5, 'exact'),
          () => timed(demo, 'fib', [20], 5),
        ),
      );
      const begin = process.hrtime.bigint();
      demo.startCpuProfile('exact');
      await demo.measure('fib', [20], { mode: 'restore', iterations: 1 });
      const profile = await demo.stopCpuProfile();
      log(
        `profile: fib(20) exact: ${profile.stacks.length} stacks, ${profile.locations.length} locations, recorded and named in ${(Number(process.hrtime.bigint() - begin) / 1e6).toFixed(1)} ms`,
      );
    }
    // Long enough for a few dozen samples a round.
    const sampledCalls = backend === 'kvm' ? 3 : 10;
    progress(`profile_sampled, ${rounds} rounds`);
    cases.push(
      await interleaved(
        'profile_sampled',
        rounds,
        () => timed(demo, 'fib', [25], sampledCalls, 'sampled'),
        () => timed(demo, 'fib', [25], sampledCalls),
      ),
    );
  } finally {
    demo.dispose();
  }
  if (backend !== 'emulated') {
    log('profile: exact profiles need the emulated backend; profile_exact not measured');
    return cases;
  }
  const { guest: sqlite, statement } = await peopleGuest(backend);
  try {
    progress(`profile_exact_sqlite, ${rounds} rounds`);
    cases.push(
      await interleaved(
        'profile_exact_sqlite',
        rounds,
        () => timed(sqlite, 'query', [statement, 4321n], 50, 'exact'),
        () => timed(sqlite, 'query', [statement, 4321n], 50),
      ),
    );
  } finally {
    sqlite.dispose();
  }
  return cases;
}
