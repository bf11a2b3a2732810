// CPU profiles through the inspector protocol, in this process over the real addon: a
// Latency run that records one, the profile fetched whole, each export, and a saved
// profile imported back (and a file that is none refused, saying why).
import { gunzipSync } from 'node:zlib';

import { afterAll, describe, expect, it } from 'vitest';

import { Engine } from '../../../../native/node/engine_process/engine.js';
import { askOf } from './ask.js';

const engine = new Engine();
afterAll(() => engine.dispose());

const ask = askOf(engine);

describe('CPU profiles in the engine process', () => {
  it('records one with a Latency run, exports it to each format and imports it back', async () => {
    await ask('guest.load', { bundled: 'demo', backend: 'emulated' });
    const run = await ask('profile.run', { function: 'fib', args: ['12'], mode: 'restore', iterations: 7, warmup: 0, cpu: {} });
    expect(run.profile.iterations).toBe(7);
    expect(run.cpuProfileId).not.toBeNull();
    const cpu = await ask('cpuProfile.get', { id: run.cpuProfileId! });
    expect(cpu).toMatchObject({ kind: 'exact', unit: 'instructions', calls: 7, function: 'fib', args: ['12'], mode: 'restore', backend: 'emulated' });
    // fib(12) makes 465 calls of fib: 233 leaves of 12 instructions and 232 others of 18, and the engine's hlt.
    expect(cpu.counts.reduce((a, b) => a + b, 0)).toBe(7 * (233 * 12 + 232 * 18 + 1));

    const pprof = await ask('cpuProfile.export', { id: run.cpuProfileId!, format: 'pprof' });
    expect(pprof).toMatchObject({ name: 'fib-exact-emulated.pb.gz', encoding: 'base64' });
    expect(gunzipSync(Buffer.from(pprof.data, 'base64')).length).toBeGreaterThan(100);
    const folded = await ask('cpuProfile.export', { id: run.cpuProfileId!, format: 'folded' });
    expect(folded.data).toMatch(/^fib(;fib)* \d+$/m);
    for (const format of ['speedscope', 'cpuprofile'] as const) {
      const file = await ask('cpuProfile.export', { id: run.cpuProfileId!, format });
      expect(() => JSON.parse(file.data) as unknown).not.toThrow();
    }
    const saved = await ask('cpuProfile.export', { id: run.cpuProfileId!, format: 'microscope' });
    const imported = await ask('cpuProfile.import', { json: saved.data });
    expect(imported.label).toBe('fib(12) exact · restore · emulated');
    expect(await ask('cpuProfile.get', { id: imported.id })).toEqual(cpu);

    await expect(ask('cpuProfile.import', { json: '{"format":"microscope-cpu-profile/1"}' })).rejects.toThrow(/is not a Microscope CPU profile: kind/);
    const broken = { ...cpu, stacks: [[cpu.locations.length]], counts: [1] };
    await expect(ask('cpuProfile.import', { json: JSON.stringify(broken) })).rejects.toThrow(/every stack names known locations/);
    await expect(ask('cpuProfile.get', { id: 999 })).rejects.toThrow(/there is no CPU profile 999/);
  });

  it('samples on request, at the rate asked for', async () => {
    const run = await ask('profile.run', { function: 'fib', args: ['24'], mode: 'warm', iterations: 10, warmup: 0, cpu: { kind: 'sampled', rateHz: 2000 } });
    const cpu = await ask('cpuProfile.get', { id: run.cpuProfileId! });
    expect(cpu).toMatchObject({ kind: 'sampled', unit: 'samples', rateHz: 2000, periodNs: 500_000 });
    expect(cpu.counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
