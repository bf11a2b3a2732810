// Profiles as files: the JSON a profile is saved as, read back with every field checked
// (a file from another machine or another tool is input like any other), and the CSV of
// its calls, one row each.
import { z } from 'zod';

import { decode } from './latency_histogram.js';
import { type IterationRow, type Profile, profileFormat } from './profile.js';

const ns = z.number().finite().nonnegative();
const summary = z.object({ count: ns, min: ns, mean: ns, stdev: ns, p50: ns, p75: ns, p90: ns, p99: ns, p99_9: ns, p99_99: ns, max: ns });

const profileSchema = z.object({
  format: z.literal(profileFormat),
  function: z.string().min(1).max(256),
  args: z.array(z.string().max(1 << 20)).max(16),
  mode: z.enum(['warm', 'restore', 'cold']),
  backend: z.string().max(32),
  iterations: z.number().int().nonnegative(),
  warmupIterations: z.number().int().nonnegative(),
  cancelled: z.boolean(),
  wallMs: ns,
  startedAt: z.string().max(64),
  machine: z.object({ host: z.string().max(256), cpu: z.string().max(256), cpus: z.number().int().nonnegative(), node: z.string().max(64) }),
  summary,
  warmup: summary.nullable(),
  phases: z.object({ create: ns, restore: ns, run: ns, host: ns, engine: ns }),
  histogram: z.string().max(64 << 20),
});

/** A saved profile, checked; throws an Error that says what is wrong with it. */
export function parseProfile(text: string, from = 'the file'): Profile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${from} is not JSON: ${(error as Error).message}`);
  }
  const parsed = profileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${from} is not a Microscope profile (${profileFormat}): ${issue.path.join('.') || 'the top level'}: ${issue.message}`);
  }
  let histogram;
  try {
    histogram = decode(parsed.data.histogram);
  } catch (error) {
    throw new Error(`${from}: histogram: ${(error as Error).message}`);
  }
  const count = histogram.totalCount;
  histogram.destroy();
  if (count !== parsed.data.iterations) throw new Error(`${from}: its histogram holds ${count} calls, its iterations say ${parsed.data.iterations}`);
  return parsed.data;
}

export const csvHeader = 'iteration,total_ns,create_ns,restore_ns,run_ns,host_ns,engine_ns\n';

export function csvRow(row: IterationRow): string {
  const engine = Math.max(0, row.totalNs - row.createNs - row.restoreNs - row.runNs - row.hostNs);
  return `${row.iteration},${row.totalNs},${row.createNs},${row.restoreNs},${row.runNs},${row.hostNs},${engine}\n`;
}
