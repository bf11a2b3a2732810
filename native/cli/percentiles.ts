// A latency summary of one measurement: nearest-rank percentiles over sorted samples.
export interface LatencySummary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  'p99.9': number;
  max: number;
  mean: number;
}

export function summarize(samples: Float64Array): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const count = sorted.length;
  const at = (p: number) => (count ? sorted[Math.min(count - 1, Math.max(0, Math.ceil((p / 100) * count) - 1))]! : 0);
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count,
    min: count ? sorted[0]! : 0,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    'p99.9': at(99.9),
    max: count ? sorted[count - 1]! : 0,
    mean: count ? sum / count : 0,
  };
}
