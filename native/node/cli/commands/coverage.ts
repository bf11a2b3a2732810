// microscope coverage GUEST FUNCTION [ARGS...] [--calls FILE.jsonl] --lcov FILE [--backend B] [--json]
//
// Which lines a call, or a list of calls, ran: an lcov tracefile for genhtml (lcov), and a
// summary per source file. Counted on the emulated backend; hit or not on KVM (one-shot
// breakpoints). --calls: one call per line, each a JSON array of its arguments written as
// the command line takes them ([20], ["hello"], ["0a0b"]).
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

import { coverageSummary, toLcov } from '../../api/coverage.js';
import { defaultBackend, Sandbox } from '../../api/sandbox.js';
import type { ArgumentValue, FunctionInfo } from '../../api/types.js';
import { parseArguments } from '../../api/value_text.js';
import type { Command } from '../command.js';
import { choiceOption, sandboxSizeOptions, sandboxSizes, sandboxSizeUsage, usageError } from '../command_line.js';
import { readGuest } from '../guest.js';
import { backends } from './call.js';

/** Each line of a .jsonl file as a call's arguments. */
function callsFromFile(file: string, fn: FunctionInfo): ArgumentValue[][] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw usageError(`coverage: can't read ${file}: ${(error as Error).message}`);
  }
  const calls: ArgumentValue[][] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    const where = `${file}:${index + 1}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw usageError(`coverage: ${where} is not JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string' || typeof a === 'number')) {
      throw usageError(`coverage: ${where} must be a JSON array of the call's arguments (numbers or strings), like [20] or ["hello"]`);
    }
    try {
      calls.push(parseArguments(fn, parsed.map(String)));
    } catch (error) {
      throw usageError(`coverage: ${where}: ${(error as Error).message.replace(/^usage: /, '')}`);
    }
  });
  if (!calls.length) throw usageError(`coverage: ${file} has no calls`);
  return calls;
}

export const coverageCommand: Command = {
  usage: `coverage GUEST FUNCTION [ARGS...] [--calls FILE.jsonl] --lcov FILE [--backend auto|emulated|kvm] [--json] ${sandboxSizeUsage}`,
  summary: 'run calls and write which lines they ran as an lcov tracefile (genhtml makes it a report)',
  options: { calls: { value: true }, lcov: { value: true }, backend: { value: true }, json: {}, ...sandboxSizeOptions },
  async run(line, out) {
    const [guest, name, ...texts] = line.positionals;
    const lcov = line.options.get('lcov');
    const callsFile = line.options.get('calls');
    if (!guest || !name) throw out.usage();
    if (typeof lcov !== 'string' || !lcov) throw usageError('coverage: --lcov FILE is required');
    if (callsFile !== undefined && (typeof callsFile !== 'string' || !callsFile)) throw usageError('coverage: --calls needs a file');
    if (typeof callsFile === 'string' && texts.length) throw usageError('coverage: give the arguments or --calls, not both');
    const backend = choiceOption(line, 'backend', backends, defaultBackend());
    const sandbox = await Sandbox.create(readGuest(guest), { backend, ...sandboxSizes(line) });
    try {
      const fn = sandbox.function(name);
      const calls = typeof callsFile === 'string' ? callsFromFile(callsFile, fn) : [parseArguments(fn, texts)];
      const coverage = await sandbox.coverage(name, calls);
      try {
        writeFileSync(lcov, toLcov(coverage, name));
      } catch (error) {
        throw usageError(`coverage: can't write ${lcov}: ${(error as Error).message}`);
      }
      const files = coverage.files.map((file) => ({ path: file.path, ...coverageSummary(coverage, (p) => p === file.path) }));
      const total = coverageSummary(coverage);
      const failures = coverage.failures.map((f) => ({ call: f.call, error: f.error.message }));
      if (line.options.has('json')) {
        out.stdout(
          JSON.stringify({ function: name, backend: sandbox.backend, exact: coverage.exact, calls: coverage.calls, lines: total, files, failures, lcov }),
        );
        return 0;
      }
      const share = (hit: number, of: number) => (of ? `${((100 * hit) / of).toFixed(1)}%` : '-');
      out.stdout(
        `${name}: ${coverage.calls} call${coverage.calls === 1 ? '' : 's'} on ${sandbox.backend}, ${coverage.exact ? 'lines counted' : 'lines hit or not (one-shot breakpoints)'}`,
      );
      for (const file of files)
        out.stdout(`${share(file.hit, file.total).padStart(7)}  ${String(file.hit).padStart(5)}/${String(file.total).padEnd(5)} ${basename(file.path)}`);
      out.stdout(`${share(total.hit, total.total).padStart(7)}  ${String(total.hit).padStart(5)}/${String(total.total).padEnd(5)} lines in all; ${lcov}`);
      for (const f of failures) out.stderr(`call ${f.call + 1} failed: ${f.error}`);
      return 0;
    } finally {
      sandbox.dispose();
    }
  },
};
