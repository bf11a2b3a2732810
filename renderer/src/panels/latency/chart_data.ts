// What the Latency panel's charts draw, from runs the engine has already binned: each
// run's histogram as the share of its calls per bin (so runs of different sizes overlay),
// its percentile curve against 1/(1−p) as HdrHistogram plots it, its phases, and each
// run's percentiles over the baseline's.
import type { WireProfileRun } from '../../../../native/common/protocol/messages';

/** A run as the panel names it: the engine's label after its number, so two runs of the same call differ ("#3 fib(20) warm · emulated"). */
export function runName(run: WireProfileRun): string {
  return `#${run.id} ${run.label}`;
}

export interface Point {
  x: number;
  y: number;
}

/** The bins' geometric middles against the percentage of calls in each. */
export function histogramSeries(run: WireProfileRun): Point[] {
  const total = run.profile.iterations || 1;
  return run.bins.map((bin) => ({ x: Math.sqrt(Math.max(1, bin.fromNs) * Math.max(1, bin.toNs)), y: (bin.count / total) * 100 }));
}

/** Latency against 1/(1−p): 2 is the median, 100 is p99, 1000 is p99.9. */
export function percentileSeries(run: WireProfileRun): Point[] {
  return run.curve.filter((point) => point.percentile < 100).map((point) => ({ x: 1 / (1 - point.percentile / 100), y: Math.max(1, point.valueNs) }));
}

/** Where the ticks of the percentile axis go, and what they read. */
export const percentileTicks = [1, 2, 10, 100, 1000, 10_000, 100_000];
export function percentileTickLabel(x: number): string {
  const p = 100 * (1 - 1 / x);
  return `${Number(p.toFixed(3))}%`;
}

export const phaseNames = ['create', 'restore', 'run', 'host', 'engine'] as const;

/** One bar per run: each phase's mean in µs. */
export function phaseRows(runs: WireProfileRun[]): ({ name: string } & Record<(typeof phaseNames)[number], number>)[] {
  return runs.map((run) => ({
    name: runName(run),
    ...(Object.fromEntries(phaseNames.map((phase) => [phase, run.profile.phases[phase] / 1000])) as Record<(typeof phaseNames)[number], number>),
  }));
}

export const ratioRows = [
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p99', 'p99'],
  ['p99.9', 'p99_9'],
  ['max', 'max'],
  ['mean', 'mean'],
] as const;

/** Each run's value over the baseline's (the first run), row by row. */
export function ratios(runs: WireProfileRun[]): { label: string; values: { ns: number; ratio: number | null }[] }[] {
  const base = runs[0];
  return ratioRows.map(([label, key]) => ({
    label,
    values: runs.map((run) => {
      const ns = run.profile.summary[key];
      const reference = base?.profile.summary[key] ?? 0;
      return { ns, ratio: reference ? ns / reference : null };
    }),
  }));
}

export const runColors = ['#3b6fc4', '#c46f1b', '#2f9e57', '#b8368a', '#7a5cc4', '#8a8a2e'];
