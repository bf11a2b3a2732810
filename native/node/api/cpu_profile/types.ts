// A CPU profile of guest calls (engine side: native/engine/core/profile/): call stacks of
// named locations with how often each ran. Exact on the emulated backend (every
// instruction counted), sampled on any backend (where the vCPU was at each timer tick).
import type { MeasureMode } from '../types.js';

/** One function at a location: the innermost is the code itself, the others the ones it is inlined into. */
export interface ProfileFrame {
  function: string;
  /** As the compiler recorded it (usually absolute); '' where the line table says nothing. */
  file: string;
  /** 0 where unknown. For a frame an inner one is inlined into: the line of that call. */
  line: number;
  /** Inlined into the next frame out. */
  inlined: boolean;
}

/** A distinct address the profile saw. */
export interface ProfileLocation {
  address: number;
  /** A caller's return address: its frames are those of the call before it. */
  call: boolean;
  /** "fib+0x1c". */
  symbol: string;
  /** Innermost first: the functions inlined at the address, then the one they are inlined into. */
  frames: ProfileFrame[];
}

/** What stopCpuProfile() resolves to (engine/addon/cpu_profile_session.cpp). */
export interface NativeCpuProfile {
  kind: 'exact' | 'sampled';
  /** Sampled: the timer's period. */
  periodNs: number;
  /** Calls begun while profiling. */
  calls: number;
  /** Sampled: ticks while no guest code ran (the engine between calls). */
  ticksOutside: number;
  /** More call paths than the engine keeps: the deepest were counted against their callers. */
  truncated: boolean;
  locations: ProfileLocation[];
  /** Each stack: indexes into `locations`, the running instruction first, then its callers. */
  stacks: number[][];
  /** How often each stack ran: instructions (exact) or samples (sampled). */
  counts: number[];
}

/** A CPU profile with what it was of; what the exports and the inspector read. */
export interface CpuProfile extends NativeCpuProfile {
  format: typeof cpuProfileFormat;
  /** What `counts` count. */
  unit: 'instructions' | 'samples';
  /** Sampled: the rate asked for. */
  rateHz: number | null;
  function: string;
  args: string[];
  mode: MeasureMode;
  backend: string;
  /** The guest ELF's path, where it came from a file. */
  guest: string | null;
  startedAt: string;
  /** Wall time the calls took, profiled. */
  durationNs: number;
}

export const cpuProfileFormat = 'microscope-cpu-profile/1';
