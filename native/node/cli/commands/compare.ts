// microscope compare A.json B.json
//
// Two saved profiles (bench --out, or the Latency panel's export) side by side, with B's
// value over A's at each percentile: before and after a change, cold against warm,
// emulated against KVM.
import { readFileSync } from 'node:fs';

import { type Profile } from '../../api/profile.js';
import { parseProfile } from '../../api/profile_file.js';
import type { Command } from '../command.js';
import { usageError } from '../command_line.js';

const rows = [
  ['min', 'min'],
  ['p50', 'p50'],
  ['p75', 'p75'],
  ['p90', 'p90'],
  ['p99', 'p99'],
  ['p99.9', 'p99_9'],
  ['p99.99', 'p99_99'],
  ['max', 'max'],
  ['mean', 'mean'],
] as const;

/** B over A at each row, as the JSON output gives them. */
export function ratios(a: Profile, b: Profile): Record<string, number | null> {
  return Object.fromEntries(rows.map(([label, key]) => [label, a.summary[key] ? b.summary[key] / a.summary[key] : null]));
}

function read(file: string): Profile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw usageError(`compare: can't read ${file}: ${(error as Error).message}`);
  }
  try {
    return parseProfile(text, file);
  } catch (error) {
    throw usageError(`compare: ${(error as Error).message}`);
  }
}

const label = (p: Profile) => `${p.function}(${p.args.join(', ')}) ${p.mode} ${p.backend}`;
const us = (ns: number) => (ns / 1000).toFixed(3);

export const compareCommand: Command = {
  usage: 'compare A.json B.json [--json]',
  summary: 'two saved profiles side by side, with B/A at each percentile',
  options: { json: {} },
  async run(line, out) {
    const [fileA, fileB] = line.positionals;
    if (!fileA || !fileB || line.positionals.length > 2) throw out.usage();
    const a = read(fileA);
    const b = read(fileB);
    const ratio = ratios(a, b);
    if (line.options.has('json')) {
      out.stdout(
        JSON.stringify({ a: { file: fileA, label: label(a), count: a.iterations }, b: { file: fileB, label: label(b), count: b.iterations }, ratios: ratio }),
      );
      return 0;
    }
    out.stdout(`A: ${fileA}: ${label(a)}, ${a.iterations} calls`);
    out.stdout(`B: ${fileB}: ${label(b)}, ${b.iterations} calls`);
    out.stdout(`${''.padEnd(8)}${'A µs'.padStart(14)}${'B µs'.padStart(14)}${'B/A'.padStart(10)}`);
    for (const [name, key] of rows) {
      const r = ratio[name];
      out.stdout(
        `${name.padEnd(8)}${us(a.summary[key]).padStart(14)}${us(b.summary[key]).padStart(14)}${(r === null || r === undefined ? '–' : `${r.toFixed(2)}×`).padStart(10)}`,
      );
    }
    return 0;
  },
};
