// microscope bench GUEST FUNCTION [ARGS...] [--mode warm|restore|cold] [--iterations N | --duration S]
//                  [--warmup N] [--backend B] [--timeout MS] [--json] [--out FILE.json] [--csv FILE.csv]
//                  [--histogram FILE]
//
// The latency profiler (native/node/api/profile.ts) from the command line: wrk2's percentile table, the
// summary and where the time goes, progress on stderr when it is a terminal.
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';

import { decode, percentileTable } from '../../api/latency_histogram.js';
import { profile, type Profile } from '../../api/profile.js';
import { csvHeader, csvRow } from '../../api/profile_file.js';
import { defaultBackend, Sandbox } from '../../api/sandbox.js';
import type { MeasureMode } from '../../api/types.js';
import { parseArguments } from '../../api/value_text.js';
import type { Command, Output } from '../command.js';
import { choiceOption, runLengthOptions, sandboxSizeOptions, sandboxSizes, sandboxSizeUsage, usageError, wholeNumberOption } from '../command_line.js';
import { readGuest } from '../guest.js';
import { backends, defaultTimeoutMs } from './call.js';

const modes: readonly MeasureMode[] = ['warm', 'restore', 'cold'];

const us = (ns: number) => (ns / 1000).toFixed(3);

function report(result: Profile, out: Output): void {
  const call = `${result.function}(${result.args.join(', ')})`;
  out.stdout(`${call} × ${result.iterations} calls, ${result.mode}, ${result.backend} backend${result.cancelled ? ' (cancelled)' : ''}; latency in µs`);
  if (result.warmup)
    out.stdout(`warm-up: ${result.warmupIterations} calls, p50 ${us(result.warmup.p50)} µs, max ${us(result.warmup.max)} µs (not in the table)`);
  const histogram = decode(result.histogram);
  out.stdout(percentileTable(histogram).trimEnd());
  histogram.destroy();
  const { p50, p90, p99, p99_9, p99_99 } = result.summary;
  out.stdout(`p50 ${us(p50)}  p90 ${us(p90)}  p99 ${us(p99)}  p99.9 ${us(p99_9)}  p99.99 ${us(p99_99)} µs`);
  const phases = Object.entries(result.phases).filter(([, ns]) => ns > 0);
  out.stdout(`where a call's time goes (mean): ${phases.map(([name, ns]) => `${name} ${us(ns)} µs`).join(', ')}`);
}

export const benchCommand: Command = {
  usage: `bench GUEST FUNCTION [ARGS...] [--mode warm|restore|cold] [--iterations N | --duration S] [--warmup N] [--backend B] [--timeout MS] ${sandboxSizeUsage} [--json] [--out FILE.json] [--csv FILE.csv] [--histogram FILE]`,
  summary: "profile a function's latency: calls in a native loop into an HdrHistogram; percentiles, phases, JSON and CSV",
  options: {
    iterations: { value: true },
    duration: { value: true },
    warmup: { value: true },
    mode: { value: true },
    backend: { value: true },
    timeout: { value: true },
    ...sandboxSizeOptions,
    json: {},
    out: { value: true },
    csv: { value: true },
    histogram: { value: true },
  },
  async run(line, out) {
    const [guest, name, ...texts] = line.positionals;
    if (!guest || !name) throw out.usage();
    const { iterations, durationS } = runLengthOptions(line, 'bench', 10_000);
    const mode = choiceOption(line, 'mode', modes, 'restore');
    const backend = choiceOption(line, 'backend', backends, defaultBackend());
    const timeoutMs = wholeNumberOption(line, 'timeout', defaultTimeoutMs);
    const outFile = line.options.get('out');
    const csvFile = line.options.get('csv');
    const histogramFile = line.options.get('histogram');
    for (const [option, file] of [
      ['out', outFile],
      ['csv', csvFile],
      ['histogram', histogramFile],
    ] as const) {
      if (file !== undefined && (typeof file !== 'string' || !file)) throw usageError(`bench: --${option} needs a file name`);
    }

    const sandbox = await Sandbox.create(readGuest(guest), { backend, timeoutMs, ...sandboxSizes(line) });
    const csv = typeof csvFile === 'string' ? openSync(csvFile, 'w') : undefined;
    let pending = csv === undefined ? '' : csvHeader;
    const flush = () => {
      if (csv !== undefined && pending) writeSync(csv, pending);
      pending = '';
    };
    const abort = new AbortController();
    const interrupt = () => abort.abort();
    process.once('SIGINT', interrupt);
    const terminal = process.stderr.isTTY;
    try {
      const args = parseArguments(sandbox.function(name), texts);
      const result = await profile(sandbox, name, args, {
        mode,
        ...(durationS === undefined ? { iterations } : { durationMs: durationS * 1000 }),
        ...(line.options.has('warmup') ? { warmup: wholeNumberOption(line, 'warmup', 0) } : {}),
        argsText: texts,
        signal: abort.signal,
        ...(csv === undefined
          ? {}
          : {
              onIteration: (row) => {
                pending += csvRow(row);
                if (pending.length > 1 << 20) flush();
              },
            }),
        onProgress: ({ stage, done, total, elapsedMs, durationMs }) => {
          if (!terminal) return;
          const share = total ? done / total : durationMs ? elapsedMs / durationMs : 0;
          process.stderr.write(`\r${stage} ${done} calls, ${Math.min(100, share * 100).toFixed(0)}%   `);
        },
      });
      if (terminal) process.stderr.write('\r\x1b[K');
      flush();
      if (typeof outFile === 'string') writeFileSync(outFile, JSON.stringify(result, null, 1) + '\n');
      if (typeof histogramFile === 'string') writeFileSync(histogramFile, result.histogram + '\n');
      if (line.options.has('json')) out.stdout(JSON.stringify(result));
      else report(result, out);
      return 0;
    } finally {
      process.off('SIGINT', interrupt);
      if (csv !== undefined) closeSync(csv);
      sandbox.dispose();
    }
  },
};
