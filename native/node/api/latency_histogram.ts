// Latencies as HdrHistogram records them (hdr-histogram-js): integer nanoseconds, three
// significant digits, any range. Its summary is what a profile reports, its compressed
// base64 ("HISTF…") form is what other HdrHistogram tools read, and its chart data (log
// bins and the percentile curve) is computed here, next to the counts, so a UI draws a
// ten-million-call run from a few hundred points.
import { createRequire } from 'node:module';

import type * as Hdr from 'hdr-histogram-js';

import type { LatencyBin, LatencySummary, PercentilePoint } from '../../common/latency.js';

// hdr-histogram-js is CommonJS; its types are the ES module's.
const hdr = createRequire(import.meta.url)('hdr-histogram-js') as typeof Hdr;

export type Histogram = Hdr.Histogram;
export type { LatencyBin, LatencySummary, PercentilePoint };

export function newHistogram(): Histogram {
  return hdr.build({ numberOfSignificantValueDigits: 3, bitBucketSize: 64, useWebAssembly: false });
}

export function summarize(histogram: Histogram): LatencySummary {
  const at = (p: number) => (histogram.totalCount ? histogram.getValueAtPercentile(p) : 0);
  return {
    count: histogram.totalCount,
    min: histogram.totalCount ? histogram.minNonZeroValue : 0,
    mean: histogram.totalCount ? histogram.mean : 0,
    stdev: histogram.totalCount ? histogram.stdDeviation : 0,
    p50: at(50),
    p75: at(75),
    p90: at(90),
    p99: at(99),
    p99_9: at(99.9),
    p99_99: at(99.99),
    max: histogram.totalCount ? histogram.maxValue : 0,
  };
}

export function encode(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/** Throws a clear error for text that isn't an encoded histogram. */
export function decode(base64: string): Histogram {
  if (!/^HISTF[A-Za-z0-9+/=]+$/.test(base64)) throw new Error('not an encoded HdrHistogram (base64 "HISTF…")');
  try {
    return hdr.decodeFromCompressedBase64(base64, 64, false);
  } catch (error) {
    throw new Error(`not a readable encoded HdrHistogram: ${(error as Error).message}`, { cause: error });
  }
}

/** wrk2's percentile table ("Value Percentile TotalCount 1/(1-Percentile)"), values in µs. */
export function percentileTable(histogram: Histogram): string {
  return histogram.outputPercentileDistribution(5, 1000);
}

interface IterationValue {
  valueIteratedTo: number;
  countAddedInThisIterationStep: number;
  percentileLevelIteratedTo: number;
}
interface Iterator {
  reset(ticks?: number): void;
  hasNext(): boolean;
  next(): IterationValue;
}
// build() without WebAssembly gives a JsHistogram, whose iterators its typings don't show.
const iterators = (histogram: Histogram) => histogram as unknown as { recordedValuesIterator: Iterator; percentileIterator: Iterator };

/** `count` bins spaced evenly on a log scale from the smallest latency to the largest. */
export function logBins(histogram: Histogram, count = 100): LatencyBin[] {
  if (!histogram.totalCount) return [];
  const low = Math.max(1, histogram.minNonZeroValue);
  const high = Math.max(low + 1, histogram.maxValue);
  const ratio = Math.pow(high / low, 1 / count);
  const bins = Array.from({ length: count }, (_, i): LatencyBin => ({
    fromNs: Math.round(low * Math.pow(ratio, i)),
    toNs: Math.round(low * Math.pow(ratio, i + 1)),
    count: 0,
  }));
  const values = iterators(histogram).recordedValuesIterator;
  values.reset();
  while (values.hasNext()) {
    const step = values.next();
    const index = Math.min(count - 1, Math.max(0, Math.floor(Math.log(Math.max(low, step.valueIteratedTo) / low) / Math.log(ratio))));
    bins[index]!.count += step.countAddedInThisIterationStep;
  }
  return bins;
}

/** The curve HdrHistogram plots: latency against percentile, denser towards 100. */
export function percentileCurve(histogram: Histogram, ticksPerHalfDistance = 5): PercentilePoint[] {
  if (!histogram.totalCount) return [];
  const points: PercentilePoint[] = [];
  const percentiles = iterators(histogram).percentileIterator;
  percentiles.reset(ticksPerHalfDistance);
  while (percentiles.hasNext()) {
    const step = percentiles.next();
    points.push({ percentile: step.percentileLevelIteratedTo, valueNs: step.valueIteratedTo });
  }
  return points;
}
