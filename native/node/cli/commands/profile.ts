// microscope profile GUEST FUNCTION [ARGS...] [--iterations N | --duration S] [--mode warm|restore|cold]
//                    [--backend B] [--kind exact|sampled] [--rate HZ] [--pprof FILE] [--speedscope FILE]
//                    [--folded FILE] [--cpuprofile FILE] [--top N] [--json]
//
// The CPU profiler (native/node/api/cpu_profile/) from the command line: the latency profiler's loop
// with the engine's profiler attached, the functions the calls spent the most in, and the profile in
// the formats other tools open. Progress on stderr when it is a terminal; Ctrl-C ends the loop and
// still reports the calls made.
import { writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';

import { toChromeCpuProfile } from '../../api/cpu_profile/chrome_cpuprofile.js';
import { toFolded } from '../../api/cpu_profile/folded.js';
import { toPprof } from '../../api/cpu_profile/pprof.js';
import { cpuProfile, defaultProfileKind, defaultRateHz } from '../../api/cpu_profile/record.js';
import { toSpeedscope } from '../../api/cpu_profile/speedscope.js';
import { countNs, topFunctions, totalCount, type FunctionRow } from '../../../common/cpu_profile_tables.js';
import type { CpuProfile } from '../../api/cpu_profile/types.js';
import { defaultBackend, Sandbox } from '../../api/sandbox.js';
import type { MeasureMode } from '../../api/types.js';
import { parseArguments } from '../../api/value_text.js';
import type { Command, Output } from '../command.js';
import { choiceOption, runLengthOptions, usageError, wholeNumberOption } from '../command_line.js';
import { guestPath, readGuest } from '../guest.js';
import { backends, defaultTimeoutMs } from './call.js';

const modes: readonly MeasureMode[] = ['warm', 'restore', 'cold'];
const kinds = ['exact', 'sampled'] as const;
/** Past this the timer's ticks are mostly the cost of taking them. */
const maxRateHz = 100_000;

/** Each export option: the file's contents, in the format its name says. */
const exportFormats = {
  pprof: (profile: CpuProfile) => toPprof(profile),
  speedscope: (profile: CpuProfile) => JSON.stringify(toSpeedscope(profile)) + '\n',
  folded: (profile: CpuProfile) => toFolded(profile),
  cpuprofile: (profile: CpuProfile) => JSON.stringify(toChromeCpuProfile(profile)) + '\n',
};
type ExportFormat = keyof typeof exportFormats;

const ms = (ns: number) => (ns / 1e6).toFixed(3);
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** Columns padded to their widest cell: numbers to the right, words to the left. */
function table(header: string[], rows: string[][], numeric: boolean[]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function report(cpu: CpuProfile, cancelled: boolean, rows: FunctionRow[], out: Output): void {
  const total = totalCount(cpu);
  const sampled = cpu.kind === 'sampled';
  const how = sampled ? `sampled at ${cpu.rateHz} Hz: ${total} samples (${ms(countNs(cpu, total)!)} ms)` : `exact: ${total} instructions`;
  const notes = [
    ...(sampled && cpu.ticksOutside ? [`${cpu.ticksOutside} ticks outside guest code`] : []),
    ...(cpu.truncated ? ['call paths truncated: the deepest counted against their callers'] : []),
    ...(cancelled ? ['cancelled'] : []),
  ];
  out.stdout(
    `${cpu.function}(${cpu.args.join(', ')}) × ${cpu.calls} calls, ${cpu.mode}, ${how} in ${ms(cpu.durationNs)} ms, ${cpu.backend} backend` +
      (notes.length ? ` (${notes.join('; ')})` : ''),
  );
  const header = ['self', ...(sampled ? ['self ms'] : []), 'self%', 'total', 'total%', 'function', 'location'];
  const cells = rows.map((row) => [
    String(row.self),
    ...(sampled ? [ms(countNs(cpu, row.self)!)] : []),
    percent(row.selfShare),
    String(row.total),
    percent(row.totalShare),
    row.function,
    row.file ? basename(row.file) : '',
  ]);
  for (const text of table(header, cells, [true, ...(sampled ? [true] : []), true, true, true, false, false])) out.stdout(text);
}

export const profileCommand: Command = {
  usage:
    'profile GUEST FUNCTION [ARGS...] [--iterations N | --duration S] [--mode warm|restore|cold] [--backend auto|emulated|kvm] [--kind exact|sampled] ' +
    '[--rate HZ] [--pprof FILE] [--speedscope FILE] [--folded FILE] [--cpuprofile FILE] [--top N] [--json]',
  summary:
    'profile where calls spend their time inside the guest: exact instruction counts (emulated) or samples; top functions, pprof, speedscope, folded stacks, .cpuprofile',
  options: {
    iterations: { value: true },
    duration: { value: true },
    mode: { value: true },
    backend: { value: true },
    kind: { value: true },
    rate: { value: true },
    pprof: { value: true },
    speedscope: { value: true },
    folded: { value: true },
    cpuprofile: { value: true },
    top: { value: true },
    json: {},
  },
  async run(line, out) {
    const [guest, name, ...texts] = line.positionals;
    if (!guest || !name) throw out.usage();
    const { iterations, durationS } = runLengthOptions(line, 'profile', 100);
    const mode = choiceOption(line, 'mode', modes, 'restore');
    const backend = choiceOption(line, 'backend', backends, defaultBackend());
    const askedKind = line.options.has('kind') ? choiceOption(line, 'kind', kinds, 'exact') : undefined;
    const rateText = line.options.get('rate');
    const rateHz = rateText === undefined ? defaultRateHz : Number(rateText);
    if (rateText !== undefined && (typeof rateText !== 'string' || !/^\d+$/.test(rateText) || rateHz < 1 || rateHz > maxRateHz))
      throw usageError(`--rate must be a whole number of Hz from 1 to ${maxRateHz}, got '${String(rateText)}'`);
    const top = wholeNumberOption(line, 'top', 20, 1);
    const files: Partial<Record<ExportFormat, string>> = {};
    for (const format of Object.keys(exportFormats) as ExportFormat[]) {
      const file = line.options.get(format);
      if (file === undefined) continue;
      if (typeof file !== 'string' || !file) throw usageError(`profile: --${format} needs a file name`);
      files[format] = file;
    }

    const sandbox = await Sandbox.create(readGuest(guest), { backend, timeoutMs: defaultTimeoutMs });
    const abort = new AbortController();
    const interrupt = () => abort.abort();
    process.once('SIGINT', interrupt);
    const terminal = process.stderr.isTTY;
    try {
      const args = parseArguments(sandbox.function(name), texts);
      // The default kind follows the backend "auto" chose, so it is known only now.
      const kind = askedKind ?? defaultProfileKind(sandbox.backend);
      if (kind === 'exact' && rateText !== undefined)
        throw usageError('profile: --rate is for a sampled profile (--kind sampled); an exact one counts every instruction');
      const { cpu, latency } = await cpuProfile(sandbox, name, args, {
        kind,
        rateHz,
        mode,
        ...(durationS === undefined ? { iterations } : { durationMs: durationS * 1000 }),
        argsText: texts,
        guest: resolve(guestPath(guest)),
        signal: abort.signal,
        onProgress: ({ done, total, elapsedMs, durationMs }) => {
          if (!terminal) return;
          const share = total ? done / total : durationMs ? elapsedMs / durationMs : 0;
          process.stderr.write(`\rprofile ${done} calls, ${Math.min(100, share * 100).toFixed(0)}%   `);
        },
      }).finally(() => {
        if (terminal) process.stderr.write('\r\x1b[K');
      });
      for (const [format, file] of Object.entries(files) as [ExportFormat, string][]) {
        try {
          writeFileSync(file, exportFormats[format](cpu));
        } catch (error) {
          throw usageError(`profile: can't write ${file}: ${(error as Error).message}`);
        }
      }
      const rows = topFunctions(cpu).slice(0, top);
      if (line.options.has('json')) {
        out.stdout(
          JSON.stringify({
            function: cpu.function,
            args: cpu.args,
            kind: cpu.kind,
            unit: cpu.unit,
            backend: cpu.backend,
            mode: cpu.mode,
            calls: cpu.calls,
            total: totalCount(cpu),
            durationNs: cpu.durationNs,
            rateHz: cpu.rateHz,
            top: rows,
            files,
          }),
        );
      } else {
        report(cpu, latency.cancelled, rows, out);
      }
      return 0;
    } finally {
      process.off('SIGINT', interrupt);
      sandbox.dispose();
    }
  },
};
