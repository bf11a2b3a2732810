// CPU profiles for the profile view's tests, written as call paths root first:
// "main>fib>fib:14" is fib at line 14 called by fib called by main; "*" marks a frame
// inlined into the one before it (its caller).
import type { CpuProfile, ProfileLocation } from '../../../../native/common/cpu_profile';

export const file = '/src/demo.c';

export function profileOf(paths: Record<string, number>, unit: CpuProfile['unit'] = 'instructions'): CpuProfile {
  const locations: ProfileLocation[] = [];
  const stacks: number[][] = [];
  const counts: number[] = [];
  for (const [path, count] of Object.entries(paths)) {
    // Each frame its own location (address by order), innermost first, inlined ones joined
    // to the location of the function they are inlined into.
    const frames = path.split('>').map((step) => {
      const [name, line] = step.split(':');
      const inlined = name!.startsWith('*');
      return { function: inlined ? name!.slice(1) : name!, file, line: Number(line ?? 0), inlined };
    });
    const stack: number[] = [];
    let pending: ProfileLocation['frames'] = [];
    for (const frame of frames.reverse()) {
      pending.push(frame);
      if (frame.inlined) continue;
      locations.push({ address: 0x1000 + locations.length, call: stack.length > 0, symbol: frame.function, frames: pending });
      stack.push(locations.length - 1);
      pending = [];
    }
    stacks.push(stack);
    counts.push(count);
  }
  const sampled = unit === 'samples';
  return {
    format: 'microscope-cpu-profile/1',
    kind: sampled ? 'sampled' : 'exact',
    periodNs: sampled ? 1_000_000 : 0,
    calls: 1,
    ticksOutside: 0,
    truncated: false,
    locations,
    stacks,
    counts,
    unit,
    rateHz: sampled ? 1000 : null,
    function: 'main',
    args: [],
    mode: 'warm',
    backend: 'emulated',
    guest: null,
    startedAt: '2025-01-01T00:00:00Z',
    durationNs: 1000,
  };
}
