// The speedscope export against speedscope's own published schema, with weights that add
// up to the profile and stacks root first.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';

import type { CpuProfile } from '../../../../../native/node/api/index.js';
import { toSpeedscope } from '../../../../../native/node/api/cpu_profile/speedscope.js';
import { expandedStack, totalCount } from '../../../../../native/common/cpu_profile_tables.js';
import { openGuest, record, row } from './profiles.js';

const sandbox = await openGuest();
afterAll(() => sandbox.dispose());

// The schema the speedscope release ships (draft-07).
const schemaPath = createRequire(import.meta.url).resolve('speedscope/dist/release/file-format-schema.json');
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

function expectValid(profile: CpuProfile): ReturnType<typeof toSpeedscope> {
  const file = toSpeedscope(profile);
  // Through JSON, as the file is written and read.
  const valid = validate(JSON.parse(JSON.stringify(file)));
  expect(validate.errors ?? [], 'schema errors').toEqual([]);
  expect(valid).toBe(true);
  const [sampled] = file.profiles;
  expect(file.profiles).toHaveLength(1);
  expect(sampled!.samples).toHaveLength(sampled!.weights.length);
  for (const sample of sampled!.samples) for (const index of sample) expect(file.shared.frames[index], String(index)).toBeDefined();
  expect(sampled!.endValue).toBe(sampled!.weights.reduce((a, b) => a + b, 0));
  expect(sampled!.startValue).toBe(0);
  return file;
}

describe('toSpeedscope', () => {
  it("weighs an exact profile's stacks of functions by instructions, root first", async () => {
    const nested = await record(sandbox, 'nested', [3]);
    const file = expectValid(nested);
    expect(file).toMatchObject({ name: 'nested(3) — 3 calls, exact', exporter: 'microscope', activeProfileIndex: 0 });
    const [profile] = file.profiles;
    expect(profile).toMatchObject({ type: 'sampled', unit: 'none', name: file.name });
    expect(profile!.endValue).toBe(totalCount(nested));
    // A frame per function: each named once, its file and a line of it given.
    const names = file.shared.frames.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    const descend = file.shared.frames[names.indexOf('descend')]!;
    expect(descend).toEqual({ name: 'descend', file: row(nested, 'descend').file, line: expect.any(Number) });
    // Root first: spin_once last, under the four descends.
    const spinOnce = names.indexOf('spin_once');
    const spinning = profile!.samples.map((sample, i) => ({ sample, weight: profile!.weights[i]! })).filter(({ sample }) => sample.includes(spinOnce));
    expect(spinning).toHaveLength(1); // its instructions' stacks differ only in the instruction: one stack of functions
    expect(spinning[0]!.sample.map((i) => names[i])).toEqual(
      expandedStack(
        nested,
        nested.stacks.findIndex((s) => nested.locations[s[0]!]!.frames[0]!.function === 'spin_once'),
      )
        .map((f) => f.function)
        .reverse(),
    );
    expect(spinning[0]!.sample.map((i) => names[i]).slice(-5)).toEqual(['descend', 'descend', 'descend', 'descend', 'spin_once']);
    expect(spinning[0]!.weight).toBe(row(nested, 'spin_once').self);
  });

  it("weighs a sampled profile's stacks by nanoseconds", async () => {
    const sampled = await record(sandbox, 'split', [1_000_000], { kind: 'sampled', rateHz: 2000 });
    expect(totalCount(sampled)).toBeGreaterThan(0);
    const file = expectValid(sampled);
    expect(file.name).toBe('split(1000000) — 3 calls, sampled at 2000 Hz');
    expect(file.profiles[0]).toMatchObject({ unit: 'nanoseconds', endValue: totalCount(sampled) * sampled.periodNs });
    const names = file.shared.frames.map((f) => f.name);
    for (const sample of file.profiles[0]!.samples) {
      const stack = sample.map((i) => names[i]);
      if (stack.includes('spin_once') || stack.includes('spin_twice')) expect(stack[0]).toBe('split');
    }
  });
});
