// What the Latency panel refuses to run with: a count of calls below 1 (0 would run one),
// a duration under a tenth of a second, a negative or fractional count of warm-up calls.
// The form says why beside the field and disables Profile; the store refuses the run
// however it was asked for (the Functions panel's Profile button too).
import type { ProfileSettings } from '../../state/latency';

export type SettingsField = 'iterations' | 'seconds' | 'warmup';

const count = (value: number, min: number, what: string) =>
  !Number.isInteger(value) ? `a whole number of ${what}, at least ${min}` : value < min ? `at least ${min} ${min === 1 ? what.replace(/s$/, '') : what}` : null;

/** Each field that can't be run with, and why: none when the settings are fine. */
export function settingsProblems(settings: ProfileSettings): Partial<Record<SettingsField, string>> {
  const problems: Partial<Record<SettingsField, string>> = {};
  if (settings.byDuration) {
    if (!(settings.seconds >= 0.1)) problems.seconds = 'at least 0.1 seconds';
  } else {
    const calls = count(settings.iterations, 1, 'calls');
    if (calls) problems.iterations = calls;
  }
  const warmup = count(settings.warmup, 0, 'warm-up calls');
  if (warmup) problems.warmup = warmup;
  return problems;
}
