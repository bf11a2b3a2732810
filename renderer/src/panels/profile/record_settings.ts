// What a CPU profile can't be recorded with: a count of calls that isn't a whole number
// from 1 up, a duration outside a tenth of a second to an hour, a sampling rate outside
// 1 Hz to 100 kHz (the protocol's bounds). The form says why beside the field and disables
// Record; the store refuses such a recording however it was asked for.
import { maxProfileIterations } from '../../../../native/common/protocol/limits';
import type { CpuProfileSettings } from '../../state/cpu_profile';

export type RecordField = 'iterations' | 'seconds' | 'rateHz';

/** Each field that can't be recorded with, and why: none when the settings are fine. */
export function recordProblems(settings: CpuProfileSettings, sampled: boolean): Partial<Record<RecordField, string>> {
  const problems: Partial<Record<RecordField, string>> = {};
  if (settings.byDuration) {
    if (!(settings.seconds >= 0.1 && settings.seconds <= 3600)) problems.seconds = 'from 0.1 to 3,600 seconds';
  } else if (!(Number.isInteger(settings.iterations) && settings.iterations >= 1 && settings.iterations <= maxProfileIterations)) {
    problems.iterations = `a whole number of calls, from 1 to ${maxProfileIterations.toLocaleString('en-US')}`;
  }
  if (sampled && !(Number.isInteger(settings.rateHz) && settings.rateHz >= 1 && settings.rateHz <= 100_000)) {
    problems.rateHz = 'a whole number of Hz, from 1 to 100,000';
  }
  return problems;
}
