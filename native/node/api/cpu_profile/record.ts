// Recording a CPU profile: the latency profiler's loop (profile.ts: any mode, a count or a
// duration, progress and cancel) with the engine's profiler attached, so one run gives
// both how long the calls took and where inside the guest that time went.
import { profile, type ProfileOptions } from '../profile.js';
import type { Profile } from '../../../common/latency.js';
import type { Sandbox } from '../sandbox.js';
import type { ArgumentValue } from '../types.js';
import { cpuProfileFormat, type CpuProfile } from './types.js';

export interface CpuProfileOptions extends ProfileOptions {
  /** Exact needs the emulated backend; the default is exact there and sampled elsewhere. */
  kind?: 'exact' | 'sampled';
  /** Samples a second, for a sampled profile (default 1,000). */
  rateHz?: number;
  /** The guest's path, for the record and the exports' mapping. */
  guest?: string;
}

export interface ProfiledRun {
  cpu: CpuProfile;
  latency: Profile;
}

export const defaultRateHz = 1000;

/** The default kind on a backend: exact where every block is seen. */
export function defaultProfileKind(backend: string): 'exact' | 'sampled' {
  return backend === 'emulated' ? 'exact' : 'sampled';
}

/**
 * Calls `name` as the latency profiler does (by default 100 calls in restore mode, no
 * warm-up: every call is profiled) and profiles them. A cancel ends the loop early and
 * still gives the profile of the calls made.
 */
export async function cpuProfile(sandbox: Sandbox, name: string, args: ArgumentValue[], options: CpuProfileOptions = {}): Promise<ProfiledRun> {
  const kind = options.kind ?? defaultProfileKind(sandbox.backend);
  const rateHz = options.rateHz ?? defaultRateHz;
  if (kind === 'sampled' && !(Number.isInteger(rateHz) && rateHz >= 1))
    throw new RangeError(`a sampling rate must be a whole number of Hz, 1 or more (got ${rateHz})`);
  sandbox.function(name); // an unknown function fails here, before anything starts
  const startedAt = new Date().toISOString();
  sandbox.startCpuProfile(kind, rateHz);
  let latency: Profile;
  try {
    latency = await profile(sandbox, name, args, { iterations: options.durationMs === undefined ? 100 : undefined, ...options, warmup: options.warmup ?? 0 });
  } catch (error) {
    await sandbox.stopCpuProfile().catch(() => undefined); // the engine stops profiling whatever happened
    throw error;
  }
  const native = await sandbox.stopCpuProfile();
  return {
    cpu: {
      format: cpuProfileFormat,
      ...native,
      unit: native.kind === 'exact' ? 'instructions' : 'samples',
      rateHz: native.kind === 'sampled' ? rateHz : null,
      function: name,
      args: latency.args,
      mode: latency.mode,
      backend: sandbox.backend,
      guest: options.guest ?? null,
      startedAt,
      durationNs: Math.round(latency.wallMs * 1e6),
    },
    latency,
  };
}
