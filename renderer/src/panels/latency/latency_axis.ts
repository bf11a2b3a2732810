// The Latency panel's latency axes (the histogram's across, the percentile curve's up):
// one domain for every run shown, from the fastest call of any to the slowest of any,
// whatever each run's count (a 1-call run is one value, a long run spans decades), widened
// to round values; ticks at 1, 2 and 5 times the powers of ten, fewer when they crowd.
import type { WireProfileRun } from '../../../../native/common/protocol/messages';
import { percentileSeries, percentileTicks } from './chart_data';

export type Domain = [number, number];

const multiples = [1, 2, 5];

/** The largest 1, 2 or 5 × 10^k at most `ns` (`up`: the smallest at least `ns`). */
export function roundLatency(ns: number, up: boolean): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(1, ns)));
  const steps = [...multiples.map((m) => m * power), 10 * power];
  return up ? steps.find((s) => s >= ns * (1 - 1e-12))! : steps.findLast((s) => s <= ns * (1 + 1e-12))!;
}

/** Every latency a run's charts draw: its bins' edges, its curve, its fastest and slowest call. */
function extent(run: WireProfileRun): number[] {
  const { min, max } = run.profile.summary;
  return [min, max, ...run.bins.flatMap((bin) => [bin.fromNs, bin.toNs]), ...run.curve.map((point) => point.valueNs)].filter((ns) => ns > 0);
}

/** From the fastest call of any run to the slowest of any, out to round values; at least one step wide. */
export function latencyDomain(runs: WireProfileRun[]): Domain {
  const all = runs.flatMap(extent);
  if (!all.length) return [1, 10];
  const low = roundLatency(Math.min(...all), false);
  const high = roundLatency(Math.max(...all), true);
  return [low, high > low ? high : roundLatency(low * 1.5, true)];
}

/** Round values across `domain`: 1, 2 and 5 per decade, or 1 and 3, or 1, or every few decades, so at most `most`. */
export function latencyTicks([low, high]: Domain, most = 8): number[] {
  const within = (ms: number[]) => {
    const ticks: number[] = [];
    for (let power = 10 ** Math.floor(Math.log10(low)); power <= high; power *= 10)
      for (const m of ms) if (m * power >= low * (1 - 1e-12) && m * power <= high * (1 + 1e-12)) ticks.push(m * power);
    return ticks;
  };
  for (const ms of [multiples, [1, 3], [1]]) {
    const ticks = within(ms);
    if (ticks.length <= most) return ticks.length >= 2 ? ticks : [low, high];
  }
  const decades = within([1]);
  const every = Math.ceil(decades.length / most);
  return decades.filter((_, i) => i % every === 0);
}

/** The percentile axis (1/(1−p)): out to the highest percentile any run reached, at least to 90%. */
export function percentileDomain(runs: WireProfileRun[]): { domain: Domain; ticks: number[] } {
  const longest = Math.max(10, ...runs.map((run) => percentileSeries(run).at(-1)?.x ?? 1));
  return { domain: [1, longest], ticks: percentileTicks.filter((t) => t <= longest) };
}
