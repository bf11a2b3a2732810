// microscope trace GUEST FUNCTION [ARGS...] --out FILE.json [--backend B]
//
// One call, traced: every guest function entered and left, every host call and every
// exit, written as Chrome Trace Event JSON (open it in Perfetto or chrome://tracing).
import { writeFileSync } from 'node:fs';

import { defaultBackend, Sandbox } from '../../api/sandbox.js';
import { toChromeTrace } from '../../api/trace.js';
import type { Command } from '../command.js';
import { choiceOption, sandboxSizeOptions, sandboxSizes, sandboxSizeUsage, usageError } from '../command_line.js';
import { readGuest } from '../guest.js';
import { formatValue, parseArguments } from '../../api/value_text.js';
import { backends } from './call.js';

export const traceCommand: Command = {
  usage: `trace GUEST FUNCTION [ARGS...] --out FILE.json [--backend auto|emulated|kvm] ${sandboxSizeUsage}`,
  summary: 'call a function once and write its trace (functions, host calls, exits) as Chrome Trace Event JSON',
  options: { out: { value: true }, backend: { value: true }, ...sandboxSizeOptions },
  async run(line, out) {
    const [guest, name, ...texts] = line.positionals;
    const file = line.options.get('out');
    if (!guest || !name) throw out.usage();
    if (typeof file !== 'string' || !file) throw usageError('trace: --out FILE.json is required');
    const backend = choiceOption(line, 'backend', backends, defaultBackend());
    const sandbox = await Sandbox.create(readGuest(guest), { backend, ...sandboxSizes(line) });
    try {
      const fn = sandbox.function(name);
      const args = parseArguments(fn, texts);
      const trace = await sandbox.trace(name, args);
      const call = `${name}(${texts.join(', ')})`;
      try {
        writeFileSync(file, JSON.stringify(toChromeTrace(trace, call)) + '\n');
      } catch (error) {
        throw usageError(`trace: can't write ${file}: ${(error as Error).message}`);
      }
      const count = (kind: string) => trace.events.filter((e) => e.kind === kind).length;
      out.stderr(
        `${file}: ${count('function')} function calls, ${count('host')} host calls, ${count('exit')} exits` +
          ` in ${(trace.durationNs / 1e6).toFixed(3)} ms on ${trace.backend}${trace.truncated ? ' (truncated)' : ''}`,
      );
      if (trace.output) out.stdout(trace.output.endsWith('\n') ? trace.output.slice(0, -1) : trace.output);
      if (trace.error) throw trace.error;
      if (fn.returns !== 'void') out.stdout(formatValue(trace.value));
      return 0;
    } finally {
      sandbox.dispose();
    }
  },
};
