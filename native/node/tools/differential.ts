// The differential run of `npm run test:kvm`: the conformance corpus's outcomes on the
// emulated backend and on KVM, compared outcome by outcome, a line for each that differs.
// Where the two can't agree the difference is listed here, with why (and in
// native/README.md); any other difference fails the run.
//
//   node dist/native/node/tools/differential.js EMULATED.jsonl KVM.jsonl
import { readFileSync } from 'node:fs';

type Outcome = Record<string, string | number>;

interface KnownDifference {
  /** Whether this difference in `field` between the two outcomes is this one. */
  applies(field: string, emulated: Outcome, kvm: Outcome): boolean;
  why: string;
}

export const knownDifferences: KnownDifference[] = [
  {
    applies: (_field, emulated) => /\/own page tables,/.test(String(emulated.case)) && emulated.vector === 'unsupported',
    why:
      "a guest's own page tables (mov cr3 to tables it built): KVM runs them on the hardware; the emulated backend " +
      'refuses the mov cr3, because Unicorn 2.0.1 ignores the translation they set up and its page walker writes ' +
      "accessed bits into whatever memory they point at, past the host's write protection",
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
  // One line per outcome that differs, with every field it differs in.
  for (const name of new Set([...emulated.keys(), ...kvm.keys()])) {
    const a = emulated.get(name);
    const b = kvm.get(name);
    if (!a || !b) {
      different.push(`${name}: only on ${a ? 'the emulated backend' : 'KVM'}`);
      continue;
    }
    const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((field) => a[field] !== b[field]);
    if (!fields.length) {
      same++;
      continue;
    }
    const difference = `${name}: ${fields.map((field) => `${field} is ${JSON.stringify(a[field])} emulated, ${JSON.stringify(b[field])} on KVM`).join('; ')}`;
    const excuse = knownDifferences.find((d) => fields.every((field) => d.applies(field, a, b)));
    if (excuse) known.push(`${difference} (known: ${excuse.why})`);
    else different.push(difference);
  }
  for (const line of known) process.stdout.write(`known      ${line}\n`);
  for (const line of different) process.stdout.write(`DIFFERENT  ${line}\n`);
  process.stdout.write(
    `differential: ${emulated.size} outcomes, ${same} the same on both backends, ${known.length} known differences, ` + `${different.length} unexplained\n`,
  );
  return different.length ? 1 : 0;
}

process.exitCode = main();
