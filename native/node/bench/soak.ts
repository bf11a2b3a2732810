// npm run soak [-- --scale F] [--backend emulated|kvm]
//
// (npm runs it with V8's young generation pinned at 1 MiB: left to itself V8 grows it
// once, around 30,000 sandboxes in, by some 45 MiB of resident memory, which would hide
// what the engine does.)
//
// The engine over a long run, as figures (not a timed test): 100,000 sandboxes created,
// called and disposed; 1,000,000 calls with restore on one sandbox; 10,000 calls of
// `spin` cancelled. Every outcome is checked; resident memory, open file descriptors and
// threads are counted after the first 1,000 iterations of each stage and at its end, and
// resident memory about a hundred times a stage. It fails (exit 1) on a wrong outcome, a leaked
// descriptor or thread, or resident memory outside the JS heap that grows: the median of
// the last quarter of the samples more than 10% over the median of the first quarter.
// (Single samples swing by megabytes with when V8 collects and glibc reuses memory; a leak
// moves the medians.) --scale multiplies every count (the test suite runs 0.01).
import { readdirSync, readFileSync } from 'node:fs';

import { Cancelled } from '../api/errors.js';
import { demoGuestPath } from '../api/paths.js';
import { Sandbox } from '../api/sandbox.js';
import type { Backend } from '../api/types.js';

interface Usage {
  rssMiB: number;
  /** What V8 has reserved for the JS heap: it grows its young generation in steps of tens of MiB. */
  jsHeapMiB: number;
  fds: number;
  threads: number;
}

/** Garbage collected, finalizers run (they free the engine's side of dropped objects): then counted. */
async function settledUsage(): Promise<Usage> {
  for (let i = 0; i < 3; i++) {
    global.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return usage();
}

function usage(): Usage {
  const status = readFileSync('/proc/self/status', 'utf8');
  const rssKiB = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  return {
    rssMiB: rssKiB / 1024,
    jsHeapMiB: process.memoryUsage().heapTotal / 2 ** 20,
    fds: readdirSync('/proc/self/fd').length,
    threads: readdirSync('/proc/self/task').length,
  };
}

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : (process.argv[index + 1] ?? fallback);
}

interface StageResult {
  stage: string;
  iterations: number;
  seconds: number;
  first: Usage;
  last: Usage;
  /** Resident MiB every `every` iterations, and the same without V8's JS heap. */
  rssSamples: number[];
  nativeSamples: number[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** What went wrong, by kind: a wrong outcome, a leak of descriptors, threads or memory. */
interface Problem {
  kind: 'outcome' | 'fds' | 'threads' | 'memory';
  what: string;
}
const problems: Problem[] = [];
const problem = (kind: Problem['kind'], what: string) => problems.push({ kind, what });

/** Runs `body` `count` times, measuring after the first 1,000 (or a tenth) and at the end. */
async function stage(name: string, count: number, body: (i: number) => Promise<void>): Promise<StageResult> {
  const mark = Math.min(1000, Math.max(1, Math.floor(count / 10)));
  // Resident memory every `every` iterations: at most about a hundred samples.
  const every = Math.max(mark, Math.floor(count / 100));
  let first: Usage | undefined;
  const rssSamples: number[] = [];
  const nativeSamples: number[] = [];
  const started = performance.now();
  let paused = 0;
  process.stderr.write(`soak: ${name}, ${count} times\n`); // progress, and what ran if it hangs
  for (let i = 0; i < count; i++) {
    await body(i);
    if (i + 1 === mark || (i + 1) % every === 0) {
      if ((i + 1) % (every * 10) === 0) process.stderr.write(`soak: ${name}: ${i + 1} of ${count}\n`);
      const pause = performance.now();
      const now = await settledUsage();
      paused += performance.now() - pause;
      first ??= now;
      rssSamples.push(now.rssMiB);
      nativeSamples.push(now.rssMiB - now.jsHeapMiB);
    }
  }
  const last = await settledUsage();
  rssSamples.push(last.rssMiB);
  nativeSamples.push(last.rssMiB - last.jsHeapMiB);
  const seconds = (performance.now() - started - paused) / 1000;
  const result = { stage: name, iterations: count, seconds, first: first!, last, rssSamples, nativeSamples };
  const quarter = Math.max(1, Math.floor(nativeSamples.length / 4));
  const early = median(nativeSamples.slice(0, quarter));
  const late = median(nativeSamples.slice(-quarter));
  if (last.fds > first!.fds) problem('fds', `${name}: ${last.fds - first!.fds} file descriptors leaked`);
  if (last.threads > first!.threads) problem('threads', `${name}: ${last.threads - first!.threads} threads leaked`);
  if (late > early * 1.1) problem('memory', `${name}: resident memory outside the JS heap grew from a median ${early.toFixed(1)} to ${late.toFixed(1)} MiB`);
  process.stdout.write(
    `${name.padEnd(34)} ${String(count).padStart(9)}  ${seconds.toFixed(1).padStart(6)} s  ` +
      `RSS ${first!.rssMiB.toFixed(1)} → ${last.rssMiB.toFixed(1)} MiB (JS heap ${first!.jsHeapMiB.toFixed(1)} → ${last.jsHeapMiB.toFixed(1)}; ` +
      `the rest, medians ${early.toFixed(1)} → ${late.toFixed(1)})  ` +
      `fds ${first!.fds} → ${last.fds}  threads ${first!.threads} → ${last.threads}\n`,
  );
  return result;
}

async function main(): Promise<number> {
  const scale = Number(option('scale', '1'));
  if (!(scale > 0)) throw new Error('--scale must be a number above 0');
  const backend = option('backend', 'emulated') as Backend;
  const n = (count: number) => Math.max(10, Math.round(count * scale));
  process.stdout.write(`soak: ${backend} backend, scale ${scale}${global.gc ? '' : ' (run node with --expose-gc for steadier figures)'}\n`);

  // The guest's bytes once: the sandboxes are what is measured, not reading a file 100,000 times.
  const elf = readFileSync(demoGuestPath);
  const results: StageResult[] = [];
  results.push(
    await stage('create, call and dispose a sandbox', n(100_000), async (i) => {
      const box = await Sandbox.create(elf, { backend });
      const value = await box.call('add', BigInt(i), 1n);
      box.dispose();
      if (value !== BigInt(i) + 1n) problem('outcome', `sandbox ${i}: add gave ${String(value)}`);
    }),
  );

  const box = await Sandbox.create(elf, { backend });
  results.push(
    await stage('call with restore, one sandbox', n(1_000_000), async (i) => {
      const value = await box.call('add', BigInt(i), 2n);
      if (value !== BigInt(i) + 2n) problem('outcome', `call ${i}: add gave ${String(value)}`);
    }),
  );
  results.push(
    await stage('spin, cancelled', n(10_000), async (i) => {
      const call = box.invoke('spin', []);
      setImmediate(() => box.cancel());
      try {
        await call;
        problem('outcome', `spin ${i} returned`);
      } catch (error) {
        if (!(error instanceof Cancelled)) problem('outcome', `spin ${i}: ${(error as Error).message}`);
      }
    }),
  );
  const after = await box.call('add', 40n, 2n);
  if (after !== 42n) problem('outcome', `after the cancels, add gave ${String(after)}`);
  box.dispose();

  for (const { kind, what } of problems.slice(0, 20)) process.stdout.write(`problem (${kind}): ${what}\n`);
  process.stdout.write(JSON.stringify({ backend, scale, problems, stages: results }) + '\n');
  return problems.length ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`soak: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
