// What a latency profile is, for every process that handles one: the JSON a profile is
// saved as (`microscope bench --out`, the Latency panel's export) and the chart data the
// engine makes from its histogram. One definition each, as a schema; the types are the
// schemas'. A profile file comes from anywhere (another machine, another tool), so it is
// checked field by field when it is read (native/node/api/profile_file.ts).
import { z } from 'zod';

export const profileFormat = 'microscope-profile/1';

const ns = z.number().finite().nonnegative();

/** count, min, mean, stdev and the percentiles every profile reports, in ns. */
export const latencySummarySchema = z.object({
  count: ns,
  min: ns,
  mean: ns,
  stdev: ns,
  p50: ns,
  p75: ns,
  p90: ns,
  p99: ns,
  p99_9: ns,
  p99_99: ns,
  max: ns,
});
export type LatencySummary = z.infer<typeof latencySummarySchema>;

/** Each phase's mean per call, in ns; `engine` is the rest of the call: the engine's own work. */
export const phaseBreakdownSchema = z.object({ create: ns, restore: ns, run: ns, host: ns, engine: ns });
export type PhaseBreakdown = z.infer<typeof phaseBreakdownSchema>;

export const measureModes = ['warm', 'restore', 'cold'] as const;

export const profileSchema = z.object({
  format: z.literal(profileFormat),
  function: z.string().min(1).max(256),
  args: z.array(z.string().max(1 << 20)).max(16),
  mode: z.enum(measureModes),
  backend: z.string().max(32),
  /** Calls measured (after the warm-up). */
  iterations: z.number().int().nonnegative(),
  warmupIterations: z.number().int().nonnegative(),
  /** Stopped before its count or duration. */
  cancelled: z.boolean(),
  /** Wall time of the measured part. */
  wallMs: ns,
  startedAt: z.string().max(64),
  machine: z.object({ host: z.string().max(256), cpu: z.string().max(256), cpus: z.number().int().nonnegative(), node: z.string().max(64) }),
  summary: latencySummarySchema,
  warmup: latencySummarySchema.nullable(),
  phases: phaseBreakdownSchema,
  /** The latencies as an HdrHistogram, compressed and base64-encoded ("HISTF…"). */
  histogram: z.string().max(64 << 20),
});
export type Profile = z.infer<typeof profileSchema>;

/** A bar of the histogram chart: the calls between two latencies. */
export const latencyBinSchema = z.object({ fromNs: ns, toNs: ns, count: ns });
export type LatencyBin = z.infer<typeof latencyBinSchema>;

/** A point of the percentile curve: `valueNs` is the latency at `percentile` (0–100). */
export const percentilePointSchema = z.object({ percentile: ns, valueNs: ns });
export type PercentilePoint = z.infer<typeof percentilePointSchema>;
