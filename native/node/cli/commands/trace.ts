// microscope trace GUEST FUNCTION [ARGS...] [--out FILE.json] [--otlp FILE.json|URL] [--traceparent TP] [--backend B]
//
// One call, traced: every guest function entered and left, every host call and every
// exit, written as Chrome Trace Event JSON (open it in Perfetto or chrome://tracing), as
// OpenTelemetry spans (an OTLP/JSON file, or sent to a collector at an http(s) URL), or both.
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';

import type { Context } from '@opentelemetry/api';

import { defaultBackend, Sandbox } from '../../api/sandbox.js';
import { toChromeTrace, type CallTrace } from '../../api/trace.js';
import type { Command } from '../command.js';
import { choiceOption, sandboxSizeOptions, sandboxSizes, sandboxSizeUsage, usageError } from '../command_line.js';
import { readGuest } from '../guest.js';
import { formatValue, parseArguments } from '../../api/value_text.js';
import { backends } from './call.js';

export const traceCommand: Command = {
  usage: `trace GUEST FUNCTION [ARGS...] [--out FILE.json] [--otlp FILE.json|URL] [--traceparent TRACEPARENT] [--backend auto|emulated|kvm] ${sandboxSizeUsage}`,
  summary:
    'call a function once and write its trace (functions, host calls, exits) as Chrome Trace Event JSON (--out) ' +
    'or OpenTelemetry spans (--otlp: an OTLP/JSON file, or an OTLP/HTTP collector such as http://localhost:4318/v1/traces)',
  options: { out: { value: true }, otlp: { value: true }, traceparent: { value: true }, backend: { value: true }, ...sandboxSizeOptions },
  async run(line, out) {
    const [guest, name, ...texts] = line.positionals;
    const file = stringOption(line.options.get('out'));
    const otlp = stringOption(line.options.get('otlp'));
    const traceparent = stringOption(line.options.get('traceparent'));
    if (!guest || !name) throw out.usage();
    if (!file && !otlp) throw usageError('trace: --out FILE.json or --otlp FILE.json|URL is required');
    if (traceparent && !otlp) throw usageError('trace: --traceparent needs --otlp');
    // OpenTelemetry loads only for --otlp: `trace --out` runs without its packages.
    const spans = otlp ? await import('../../api/otlp.js') : undefined;
    const parent = traceparent ? traceparentOption(spans!, traceparent) : undefined;
    const backend = choiceOption(line, 'backend', backends, defaultBackend());
    const sandbox = await Sandbox.create(readGuest(guest), { backend, ...sandboxSizes(line) });
    try {
      const fn = sandbox.function(name);
      const args = parseArguments(fn, texts);
      const startTimeMs = Date.now();
      const trace = await sandbox.trace(name, args);
      const call = `${name}(${texts.join(', ')})`;
      const summary = describe(trace);
      if (file) {
        write(file, JSON.stringify(toChromeTrace(trace, call)) + '\n');
        out.stderr(`${file}: ${summary}`);
      }
      if (otlp) {
        const traced = spans!.traceSpans(trace, { call, startTimeMs, parent, guest: basename(guest) });
        if (/^https?:\/\//i.test(otlp)) {
          await spans!.sendOtlp(traced, otlp).catch((error: Error) => {
            throw usageError(`trace: ${error.message}`);
          });
        } else {
          write(otlp, spans!.toOtlpJson(traced) + '\n');
        }
        out.stderr(`${otlp}: ${summary}, ${traced.length} spans in trace ${traced[0]!.spanContext().traceId}`);
      }
      if (trace.output) out.stdout(trace.output.endsWith('\n') ? trace.output.slice(0, -1) : trace.output);
      if (trace.error) throw trace.error;
      if (fn.returns !== 'void') out.stdout(formatValue(trace.value));
      return 0;
    } finally {
      sandbox.dispose();
    }
  },
};

/** A value option's text; a flag or "" counts as not given (its "needs a value" is the parser's). */
function stringOption(value: string | true | undefined): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** The --traceparent's context, checked before the call runs. */
function traceparentOption(spans: typeof import('../../api/otlp.js'), traceparent: string): Context {
  try {
    return spans.traceparentContext(traceparent);
  } catch (error) {
    throw usageError(`--${(error as Error).message}`);
  }
}

function write(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw usageError(`trace: can't write ${file}: ${(error as Error).message}`);
  }
}

function describe(trace: CallTrace): string {
  const count = (kind: string) => trace.events.filter((e) => e.kind === kind).length;
  return (
    `${count('function')} function calls, ${count('host')} host calls, ${count('exit')} exits` +
    ` in ${(trace.durationNs / 1e6).toFixed(3)} ms on ${trace.backend}${trace.truncated ? ' (truncated)' : ''}`
  );
}
