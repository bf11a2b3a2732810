// A CPU profile as a speedscope file (https://www.speedscope.app/file-format-schema.json):
// one sampled profile whose frames are functions, weighted by instructions (exact) or by
// nanoseconds (sampled).
import { expandedStack, firstLines, functionKey, profileTitle } from '../../../common/cpu_profile_tables.js';
import type { CpuProfile } from './types.js';

export interface SpeedscopeFrame {
  name: string;
  file?: string;
  line?: number;
}

export interface SpeedscopeFile {
  $schema: 'https://www.speedscope.app/file-format-schema.json';
  shared: { frames: SpeedscopeFrame[] };
  profiles: {
    type: 'sampled';
    name: string;
    unit: 'none' | 'nanoseconds';
    startValue: number;
    endValue: number;
    /** Frame indexes, the root first. */
    samples: number[][];
    weights: number[];
  }[];
  name: string;
  exporter: string;
  activeProfileIndex: number;
}

export function toSpeedscope(profile: CpuProfile): SpeedscopeFile {
  const lines = firstLines(profile);
  const frames: SpeedscopeFrame[] = [];
  const frameIndex = new Map<string, number>();
  // Stacks that differ only in the instruction or the line are one stack of functions.
  const weights = new Map<string, { samples: number[]; weight: number }>();
  const sampled = profile.kind === 'sampled';
  profile.stacks.forEach((_, stack) => {
    const samples = expandedStack(profile, stack)
      .reverse()
      .map((frame) => {
        const key = functionKey(frame);
        let index = frameIndex.get(key);
        if (index === undefined) {
          index = frames.length;
          frameIndex.set(key, index);
          const line = lines.get(key);
          frames.push({ name: frame.function, ...(frame.file ? { file: frame.file } : {}), ...(line ? { line } : {}) });
        }
        return index;
      });
    const weight = sampled ? profile.counts[stack]! * profile.periodNs : profile.counts[stack]!;
    const key = samples.join(',');
    const found = weights.get(key);
    if (found) found.weight += weight;
    else weights.set(key, { samples, weight });
  });
  const merged = [...weights.values()];
  const name = profileTitle(profile);
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles: [
      {
        type: 'sampled',
        name,
        unit: sampled ? 'nanoseconds' : 'none',
        startValue: 0,
        endValue: merged.reduce((sum, sample) => sum + sample.weight, 0),
        samples: merged.map((sample) => sample.samples),
        weights: merged.map((sample) => sample.weight),
      },
    ],
    name,
    exporter: 'microscope',
    activeProfileIndex: 0,
  };
}
