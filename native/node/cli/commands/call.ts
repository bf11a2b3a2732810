// microscope call GUEST FUNCTION [ARGS...] [--timeout MS] [--backend B] [--json]
import { defaultBackend, Sandbox } from '../../api/sandbox.js';
import type { Backend } from '../../api/types.js';
import type { Command } from '../command.js';
import { choiceOption, sandboxSizeOptions, sandboxSizes, sandboxSizeUsage, wholeNumberOption } from '../command_line.js';
import { readGuest } from '../guest.js';
import { formatValue, jsonValue, parseArguments } from '../../api/value_text.js';

export const backends: readonly Backend[] = ['auto', 'emulated', 'kvm'];
export const defaultTimeoutMs = 10_000;

export const callCommand: Command = {
  usage: `call GUEST FUNCTION [ARGS...] [--timeout MS] [--backend auto|emulated|kvm] ${sandboxSizeUsage} [--json]`, // backend: $MICROSCOPE_BACKEND or auto
  summary: `call a function once (ARGS by its signature; timeout ${defaultTimeoutMs} ms unless given, 0 = none)`,
  options: { timeout: { value: true }, backend: { value: true }, json: {}, ...sandboxSizeOptions },
  async run(line, out) {
    const [guest, name, ...texts] = line.positionals;
    if (!guest || !name) throw out.usage();
    const timeoutMs = wholeNumberOption(line, 'timeout', defaultTimeoutMs);
    const backend = choiceOption(line, 'backend', backends, defaultBackend());
    const sandbox = await Sandbox.create(readGuest(guest), { backend, timeoutMs, ...sandboxSizes(line) });
    try {
      const fn = sandbox.function(name);
      const report = await sandbox.invoke(name, parseArguments(fn, texts));
      if (line.options.has('json')) {
        out.stdout(
          JSON.stringify({
            ok: true,
            type: report.type,
            value: jsonValue(report.value, report.type),
            output: report.output,
            ...(report.outputTruncated ? { outputTruncated: true } : {}),
            backend: report.backend,
            timings: report.timings,
          }),
        );
      } else {
        if (report.output) out.stdout(report.output.endsWith('\n') ? report.output.slice(0, -1) : report.output);
        if (report.type !== 'void') out.stdout(formatValue(report.value));
      }
      return 0;
    } finally {
      sandbox.dispose();
    }
  },
};
