// Profiles as files: the JSON a profile is saved as, read back with every field checked
// (a file from another machine or another tool is input like any other), and the CSV of
// its calls, one row each.
import { type Profile, profileFormat, profileSchema } from '../../common/latency.js';
import { decode } from './latency_histogram.js';
import type { IterationRow } from './profile.js';

/** A saved profile, checked; throws an Error that says what is wrong with it. */
export function parseProfile(text: string, from = 'the file'): Profile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${from} is not JSON: ${(error as Error).message}`, { cause: error });
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
    throw new Error(`${from}: histogram: ${(error as Error).message}`, { cause: error });
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
