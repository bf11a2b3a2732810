// The latency profiler: one function called many times in the engine's native loop
// (Sandbox.measure), in chunks sized to take about 50 ms each, so progress shows, a cancel
// lands between or inside chunks, a run can last a duration instead of a count, and memory
// stays bounded however long it runs: each call's latency goes into an HdrHistogram and
// its phases into running sums; nothing per call is kept unless `onIteration` asks for it.
import { cpus, hostname } from 'node:os';

import { type PhaseBreakdown, type Profile, profileFormat } from '../../common/latency.js';
import { Cancelled } from './errors.js';
import { encode, newHistogram, summarize } from './latency_histogram.js';
import type { Sandbox } from './sandbox.js';
import type { ArgumentValue, MeasureMode, Measurement } from './types.js';

export { profileFormat };
export type { PhaseBreakdown, Profile };

/** One measured call, for the CSV export. */
export interface IterationRow {
  iteration: number;
  totalNs: number;
  createNs: number;
  restoreNs: number;
  runNs: number;
  hostNs: number;
}

export interface Progress {
  stage: 'warmup' | 'measure';
  done: number;
  /** Calls to make in this stage, or null when it runs for a duration. */
  total: number | null;
  elapsedMs: number;
  durationMs: number | null;
}

export interface ProfileOptions {
  mode?: MeasureMode;
  /** Calls to measure; the default is 10,000 unless a duration is given. */
  iterations?: number;
  /** Measure for this long instead of a count. */
  durationMs?: number;
  /** Calls before measuring, summarized apart; the default is a tenth of the run, at most 1,000. */
  warmup?: number;
  /** How the arguments read, for the record (formatted from `args` when not given). */
  argsText?: string[];
  onProgress?(progress: Progress): void;
  /** Every measured call, in order (memory is the caller's). */
  onIteration?(row: IterationRow): void;
  signal?: AbortSignal;
}

/** Time a chunk of calls should take: progress and cancels are that fine-grained. */
const chunkTargetNs = 50e6;
const maxChunk = 100_000;

export async function profile(sandbox: Sandbox, name: string, args: ArgumentValue[], options: ProfileOptions = {}): Promise<Profile> {
  const mode = options.mode ?? 'restore';
  const durationMs = options.durationMs ?? null;
  const iterations = durationMs === null ? (options.iterations ?? 10_000) : null;
  if (iterations !== null && (!Number.isSafeInteger(iterations) || iterations < 1)) throw new RangeError('iterations must be a whole number of 1 or more');
  if (durationMs !== null && !(durationMs > 0)) throw new RangeError('a duration must be more than 0 ms');
  const warmupCount = options.warmup ?? Math.min(1000, Math.ceil((iterations ?? 10_000) / 10));
  sandbox.function(name); // an unknown function fails here, before any call

  const onAbort = () => sandbox.cancel();
  options.signal?.addEventListener('abort', onAbort);
  const started = new Date();
  let cancelled = false;
  let chunk = 8;

  // Runs calls in chunks until `enough`; false when cancelled.
  const run = async (stage: Progress['stage'], total: number | null, limitMs: number | null, take: (m: Measurement, first: number) => void) => {
    const begin = performance.now();
    let done = 0;
    for (;;) {
      const elapsedMs = performance.now() - begin;
      if ((total !== null && done >= total) || (limitMs !== null && elapsedMs >= limitMs)) return true;
      if (options.signal?.aborted) return false;
      const count = total === null ? chunk : Math.min(chunk, total - done);
      const chunkStart = process.hrtime.bigint();
      let measured: Measurement;
      try {
        measured = await sandbox.measure(name, args, { mode, iterations: count });
      } catch (error) {
        if (error instanceof Cancelled && options.signal?.aborted) return false;
        throw error;
      }
      take(measured, done);
      done += measured.iterations;
      const perCall = Number(process.hrtime.bigint() - chunkStart) / Math.max(1, measured.iterations);
      chunk = Math.max(1, Math.min(maxChunk, Math.round(chunkTargetNs / perCall)));
      options.onProgress?.({ stage, done, total, elapsedMs: performance.now() - begin, durationMs: limitMs });
    }
  };

  try {
    const warmupHistogram = newHistogram();
    if (warmupCount > 0) {
      cancelled = !(await run('warmup', warmupCount, null, (m) => {
        for (const ns of m.totalNs) warmupHistogram.recordValue(Math.max(1, Math.round(ns)));
      }));
    }
    const histogram = newHistogram();
    const sums = { create: 0, restore: 0, run: 0, host: 0, total: 0 };
    const measureStart = performance.now();
    if (!cancelled) {
      cancelled = !(await run('measure', iterations, durationMs, (m, first) => {
        for (let i = 0; i < m.iterations; i++) {
          const row = { totalNs: m.totalNs[i]!, createNs: m.createNs[i]!, restoreNs: m.restoreNs[i]!, runNs: m.runNs[i]!, hostNs: m.hostNs[i]! };
          histogram.recordValue(Math.max(1, Math.round(row.totalNs)));
          sums.total += row.totalNs;
          sums.create += row.createNs;
          sums.restore += row.restoreNs;
          sums.run += row.runNs;
          sums.host += row.hostNs;
          options.onIteration?.({ iteration: first + i, ...row });
        }
      }));
    }
    const count = histogram.totalCount;
    const mean = (sum: number) => (count ? sum / count : 0);
    const profiled: Profile = {
      format: profileFormat,
      function: name,
      args: options.argsText ?? args.map((a) => (a instanceof Uint8Array ? Buffer.from(a).toString('hex') : String(a))),
      mode,
      backend: sandbox.backend,
      iterations: count,
      warmupIterations: warmupHistogram.totalCount,
      cancelled,
      wallMs: performance.now() - measureStart,
      startedAt: started.toISOString(),
      machine: { host: hostname(), cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length, node: process.version },
      summary: summarize(histogram),
      warmup: warmupHistogram.totalCount ? summarize(warmupHistogram) : null,
      phases: {
        create: mean(sums.create),
        restore: mean(sums.restore),
        run: mean(sums.run),
        host: mean(sums.host),
        engine: Math.max(0, mean(sums.total - sums.create - sums.restore - sums.run - sums.host)),
      },
      histogram: encode(histogram),
    };
    histogram.destroy();
    warmupHistogram.destroy();
    return profiled;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
