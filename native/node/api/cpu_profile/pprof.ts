// A CPU profile as pprof's profile.proto, gzipped (what `go tool pprof` and most profile
// viewers read). The profile's locations carry their own names and lines, so the mapping
// says so and pprof never looks for the guest's binary.
import { gzipSync } from 'node:zlib';

import { Function as PprofFunction, Line, Location, Mapping, Profile, Sample, StringTable, ValueType } from 'pprof-format';

import { functionKey, profileTitle } from '../../../common/cpu_profile_tables.js';
import type { CpuProfile } from './types.js';

export function toPprof(profile: CpuProfile): Uint8Array {
  const strings = new StringTable();
  const valueType = (type: string, unit: string): ValueType => new ValueType({ type: strings.dedup(type), unit: strings.dedup(unit) });
  const sampled = profile.kind === 'sampled';

  const functions = new Map<string, PprofFunction>();
  const functionId = (name: string, file: string): number => {
    const key = functionKey({ function: name, file });
    let found = functions.get(key);
    if (!found) {
      const id = functions.size + 1;
      // The engine does not know where a function starts: start_line 0 is "unknown".
      found = new PprofFunction({ id, name: strings.dedup(name), systemName: strings.dedup(name), filename: strings.dedup(file), startLine: 0 });
      functions.set(key, found);
    }
    return Number(found.id);
  };

  // pprof's lines are innermost first too: the last is the function the others are inlined into.
  const locations = profile.locations.map(
    (location, index) =>
      new Location({
        id: index + 1,
        mappingId: 1,
        address: location.address,
        line: location.frames.map((frame) => new Line({ functionId: functionId(frame.function, frame.file), line: frame.line })),
      }),
  );

  let start = Infinity;
  let end = 0;
  for (const { address } of profile.locations) {
    start = Math.min(start, address);
    end = Math.max(end, address + 1);
  }
  const mapping = new Mapping({
    id: 1,
    memoryStart: Number.isFinite(start) ? start : 0,
    memoryLimit: end,
    filename: strings.dedup(profile.guest ?? '[guest]'),
    hasFunctions: true,
    hasFilenames: true,
    hasLineNumbers: true,
    hasInlineFrames: true,
  });

  const samples = profile.stacks.map(
    (stack, index) =>
      new Sample({
        locationId: stack.map((location) => location + 1),
        value: sampled ? [profile.counts[index]!, profile.counts[index]! * profile.periodNs] : [profile.counts[index]!],
      }),
  );

  const comments = [profileTitle(profile), `backend ${profile.backend}, ${profile.mode} mode`];
  if (profile.truncated) comments.push('truncated: the deepest call paths were counted against their callers');
  if (sampled && profile.ticksOutside) comments.push(`${profile.ticksOutside} samples outside guest code left out`);

  const encoded = new Profile({
    sampleType: sampled ? [valueType('samples', 'count'), valueType('cpu', 'nanoseconds')] : [valueType('instructions', 'count')],
    sample: samples,
    mapping: [mapping],
    location: locations,
    function: [...functions.values()],
    timeNanos: BigInt(Date.parse(profile.startedAt)) * 1_000_000n,
    durationNanos: profile.durationNs,
    periodType: sampled ? valueType('cpu', 'nanoseconds') : valueType('instructions', 'count'),
    period: sampled ? profile.periodNs : 1,
    comment: comments.map((comment) => strings.dedup(comment)),
    defaultSampleType: strings.dedup(sampled ? 'cpu' : 'instructions'),
    stringTable: strings,
  }).encode();
  return gzipSync(encoded);
}
