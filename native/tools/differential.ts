// The differential run of `npm run test:kvm`: the conformance corpus's outcomes on the
// emulated backend and on KVM, compared outcome by outcome. Where the two can't agree the
// difference is listed here, with why (and in native/README.md); any other difference
// fails the run.
//
//   node dist/native/tools/differential.js EMULATED.jsonl KVM.jsonl
import { readFileSync } from 'node:fs';

type Outcome = Record<string, string | number>;

const caseName = (outcome: Outcome) => String(outcome.case).split('/').pop();

interface KnownDifference {
  /** Whether this difference in `field` between the two outcomes is this one. */
  applies(field: string, emulated: Outcome, kvm: Outcome): boolean;
  why: string;
}

const functionOf = (symbol: unknown) => String(symbol).split('+')[0];

export const knownDifferences: KnownDifference[] = [
  {
    applies: (field, emulated, kvm) =>
      field === 'symbol' &&
      ['bad port', 'bad frame'].includes(String(emulated.vector)) &&
      emulated.vector === kvm.vector &&
      functionOf(emulated.symbol) === functionOf(kvm.symbol),
    why:
      'a fault found while serving an `out` (a port nobody serves, a bad frame): the emulated backend reports ' +
      'the start of the block holding the `out`, because Unicorn 2.0.1 gives an instruction hook no finer RIP; ' +
      'KVM reports the instruction itself',
  },
  {
    applies: (field, emulated, kvm) => field === 'symbol' && emulated.vector === 'triple fault' && kvm.vector === 'triple fault',
    why:
      'a triple fault: the emulated backend names the instruction whose fault could not be delivered; on KVM it is a ' +
      'shutdown exit, which carries no faulting instruction, only where the vCPU was left',
  },
  {
    applies: (_field, emulated) => ['rdmsr_unknown', 'wrmsr_efer_zero'].includes(caseName(emulated) ?? ''),
    why:
      'rdmsr/wrmsr: Unicorn 2.0.1 runs them for any MSR (one that does not exist reads 0, clearing EFER.LME under paging ' +
      'is accepted) and cannot hook them; KVM raises #GP, as the hardware does',
  },
];

function read(path: string): Map<string, Outcome> {
  const outcomes = new Map<string, Outcome>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const outcome = JSON.parse(line) as Outcome;
    outcomes.set(String(outcome.case), outcome);
  }
  return outcomes;
}

function main(): number {
  const [emulatedPath, kvmPath] = process.argv.slice(2);
  if (!emulatedPath || !kvmPath) {
    process.stderr.write('usage: differential EMULATED.jsonl KVM.jsonl\n');
    return 2;
  }
  const emulated = read(emulatedPath);
  const kvm = read(kvmPath);
  let same = 0;
  const known: string[] = [];
  const different: string[] = [];
  for (const name of new Set([...emulated.keys(), ...kvm.keys()])) {
    const a = emulated.get(name);
    const b = kvm.get(name);
    if (!a || !b) {
      different.push(`${name}: only on ${a ? 'the emulated backend' : 'KVM'}`);
      continue;
    }
    let agrees = true;
    for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (a[field] === b[field]) continue;
      const difference = `${name}: ${field} is ${JSON.stringify(a[field])} emulated, ${JSON.stringify(b[field])} on KVM`;
      const excuse = knownDifferences.find((d) => d.applies(field, a, b));
      if (excuse) known.push(`${difference} (known: ${excuse.why})`);
      else different.push(difference);
      agrees = false;
    }
    if (agrees) same++;
  }
  for (const line of known) process.stdout.write(`known      ${line}\n`);
  for (const line of different) process.stdout.write(`DIFFERENT  ${line}\n`);
  process.stdout.write(
    `differential: ${emulated.size} outcomes, ${same} the same on both backends, ${known.length} known differences, ` +
      `${different.length} unexplained\n`,
  );
  return different.length ? 1 : 0;
}

process.exitCode = main();
