// microscope bench GUEST FUNCTION [ARGS...] [--iterations N] [--mode warm|restore|cold] [--json]
import { defaultBackend, Sandbox } from '../../lib/sandbox.js';
import type { MeasureMode } from '../../lib/types.js';
import type { Command } from '../command.js';
import { choiceOption, wholeNumberOption } from '../command_line.js';
import { readGuest } from '../guest.js';
import { summarize } from '../percentiles.js';
import { parseArguments } from '../../lib/value_text.js';
import { backends, defaultTimeoutMs } from './call.js';

const modes: readonly MeasureMode[] = ['warm', 'restore', 'cold'];

export const benchCommand: Command = {
  usage:
    'bench GUEST FUNCTION [ARGS...] [--iterations N] [--mode warm|restore|cold] [--backend B] [--timeout MS] [--json]',
  summary: 'call a function N times in a native loop and print its latency percentiles in ns',
  options: { iterations: { value: true }, mode: { value: true }, backend: { value: true }, timeout: { value: true }, json: {} },
  async run(line, out) {
    const [guest, name, ...texts] = line.positionals;
    if (!guest || !name) throw out.usage();
    const iterations = wholeNumberOption(line, 'iterations', 10_000, 1);
    const mode = choiceOption(line, 'mode', modes, 'restore');
    const backend = choiceOption(line, 'backend', backends, defaultBackend());
    const timeoutMs = wholeNumberOption(line, 'timeout', defaultTimeoutMs);
    const sandbox = await Sandbox.create(readGuest(guest), { backend, timeoutMs });
    try {
      const args = parseArguments(sandbox.function(name), texts);
      const measurement = await sandbox.measure(name, args, { mode, iterations });
      const { count, ...ns } = summarize(measurement.totalNs);
      if (line.options.has('json')) {
        out.stdout(JSON.stringify({ function: name, mode, iterations: count, backend: sandbox.backend, ns }));
      } else {
        out.stdout(`${name} × ${count}, ${mode}, ${sandbox.backend} backend (ns per call)`);
        for (const [label, value] of Object.entries(ns)) out.stdout(`  ${label.padEnd(6)} ${value.toFixed(0).padStart(12)}`);
      }
      return 0;
    } finally {
      sandbox.dispose();
    }
  },
};
