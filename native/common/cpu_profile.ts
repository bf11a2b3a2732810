// What a CPU profile is, for every process that handles one (the engine's recording,
// native/node/api/cpu_profile/; the inspector's profile view; a saved file): call stacks
// of named locations with how often each ran. Exact on the emulated backend (every
// instruction counted), sampled on any backend (where the vCPU was at each timer tick).
// One definition, as a schema; the types are the schema's. A file comes from anywhere, so
// it is checked field by field when it is read.
import { z } from 'zod';

import { measureModes } from './latency.js';

export const cpuProfileFormat = 'microscope-cpu-profile/1';

/** The files a CPU profile exports to: pprof, speedscope, folded stacks, Chrome's .cpuprofile, and its own JSON. */
export const cpuProfileExportFormats = ['pprof', 'speedscope', 'folded', 'cpuprofile', 'microscope'] as const;
export type CpuProfileExportFormat = (typeof cpuProfileExportFormats)[number];

const count = z.number().int().nonnegative();

/** One function at a location: the innermost is the code itself, the others the ones it is inlined into. */
export const profileFrameSchema = z.object({
  function: z.string().max(4096),
  /** As the compiler recorded it (usually absolute); '' where the line table says nothing. */
  file: z.string().max(4096),
  /**
   * 0 where unknown, and in an exact profile's callers (known by function: every call a
   * function makes is one place in a call path). For a frame an inner one is inlined into:
   * the line of that call.
   */
  line: count,
  /** Inlined into the next frame out. */
  inlined: z.boolean(),
});
export type ProfileFrame = z.infer<typeof profileFrameSchema>;

/** A distinct address the profile saw. */
export const profileLocationSchema = z.object({
  address: count,
  /** A caller's return address: its frames are those of the call before it. */
  call: z.boolean(),
  /** "fib+0x1c". */
  symbol: z.string().max(4096),
  /** Innermost first: the functions inlined at the address, then the one they are inlined into. */
  frames: z.array(profileFrameSchema).min(1).max(256),
});
export type ProfileLocation = z.infer<typeof profileLocationSchema>;

const nativeShape = {
  kind: z.enum(['exact', 'sampled']),
  /** Sampled: the timer's period. */
  periodNs: count,
  /** Calls begun while profiling. */
  calls: count,
  /** Sampled: ticks while no guest code ran (the engine between calls). */
  ticksOutside: count,
  /** More call paths than the engine keeps: the deepest were counted against their callers. */
  truncated: z.boolean(),
  locations: z.array(profileLocationSchema),
  /** Each stack: indexes into `locations`, the running instruction first, then its callers. */
  stacks: z.array(z.array(count).min(1).max(4096)),
  /** How often each stack ran: instructions (exact) or samples (sampled). */
  counts: z.array(count),
};

/** What the engine's stopCpuProfile() resolves to (engine/addon/cpu_profile_session.cpp). */
export const nativeCpuProfileSchema = z.object(nativeShape);
export type NativeCpuProfile = z.infer<typeof nativeCpuProfileSchema>;

/** A CPU profile with what it was of: what the exports, the inspector and a saved file hold. */
export const cpuProfileSchema = z
  .object({
    format: z.literal(cpuProfileFormat),
    ...nativeShape,
    /** What `counts` count. */
    unit: z.enum(['instructions', 'samples']),
    /** Sampled: the rate asked for. */
    rateHz: z.number().int().positive().nullable(),
    function: z.string().min(1).max(256),
    args: z.array(z.string().max(1 << 20)).max(16),
    mode: z.enum(measureModes),
    backend: z.string().max(32),
    /** The guest ELF's path, where it came from a file. */
    guest: z.string().max(4096).nullable(),
    startedAt: z.string().max(64),
    /** Wall time the calls took, profiled. */
    durationNs: z.number().finite().nonnegative(),
  })
  .refine((p) => p.stacks.length === p.counts.length, 'as many counts as stacks')
  .refine((p) => p.stacks.every((s) => s.every((l) => l < p.locations.length)), 'every stack names known locations');
export type CpuProfile = z.infer<typeof cpuProfileSchema>;
