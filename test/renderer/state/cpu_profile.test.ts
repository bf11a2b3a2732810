// The CPU profile view's state against a stand-in engine: a recording is a Latency run
// with `cpu` (exact only where the backend is emulated), its run joins the Latency view's
// and its profile is fetched and shown; the newest two are compared; opening a function
// lays its counts over the code views; an export of pprof is bytes.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { Params, WireGuest, WireInstruction, WireProfileRun } from '../../../native/common/protocol/messages';
import type { EngineClient } from '../../../renderer/src/api/engine_client';
import { recordableKind, useCpuProfiles } from '../../../renderer/src/state/cpu_profile';
import { useLatency } from '../../../renderer/src/state/latency';
import { useCodeOverlay } from '../../../renderer/src/state/code_overlay';
import { useSource } from '../../../renderer/src/state/source';
import { useInspector } from '../../../renderer/src/state/store';
import { file, profileOf } from '../panels/profile/profile_fixture';

vi.mock('../../../renderer/src/state/download', () => ({ download: vi.fn() }));
const { download } = await import('../../../renderer/src/state/download');

const guest: WireGuest = { path: 'demo.elf', backend: 'emulated', backendReason: 'requested', memorySize: '0x1000000', regions: [], functions: [] };
const profile = profileOf({ 'main:3>fib:13': 4, 'main:3>fib:14': 1 });
const instruction = (address: string, symbol: string): WireInstruction => ({ address, bytes: '90', mnemonic: 'nop', operands: '', symbol });

let asked: { method: string; params: unknown }[];
let nextRun: number;

function engine(): EngineClient {
  return {
    request: (async (method: string, params: unknown) => {
      asked.push({ method, params });
      if (method === 'profile.run') return { id: nextRun++, label: 'fib', cpuProfileId: 7 } as Partial<WireProfileRun>;
      if (method === 'cpuProfile.get') return profile;
      if (method === 'cpuProfile.export') return { name: 'fib.pb.gz', data: btoa('\x1f\x8b\x08'), encoding: 'base64' };
      if (method === 'code.disassemble') return [instruction('0x1001', 'fib'), instruction('0x1002', 'fib+0x1'), instruction('0x1003', 'main')];
      if (method === 'source.read') return { file, path: file, text: 'int fib;\n' };
      throw new Error(`unexpected ${method}`);
    }) as EngineClient['request'],
    onEvent: () => undefined,
  };
}

beforeEach(() => {
  asked = [];
  nextRun = 1;
  useInspector.setState({ client: engine(), guest, running: false, bottomTab: 'Memory', disassembly: [] });
  useLatency.setState({ runs: [], shown: [], running: false });
  useCpuProfiles.setState({ profiles: [], shownId: null, baselineId: null, comparisonId: null, pairChosen: false });
  useCodeOverlay.getState().clear();
});
afterEach(() => vi.mocked(download).mockClear());

describe('recording a CPU profile', () => {
  it('runs profile.run with cpu, adds the Latency run and shows the profile', async () => {
    useCpuProfiles.getState().configure({ mode: 'warm', iterations: 5, kind: 'exact' });
    await useCpuProfiles.getState().record('fib', ['15']);
    const run = asked.find((a) => a.method === 'profile.run')!.params as Params<'profile.run'>;
    expect(run).toEqual({ function: 'fib', args: ['15'], mode: 'warm', iterations: 5, warmup: 0, cpu: { kind: 'exact' } });
    expect(useLatency.getState().runs.map((r) => r.cpuProfileId)).toEqual([7]);
    expect(useLatency.getState().settings).toMatchObject({ function: 'fib', args: '15' });
    expect(useCpuProfiles.getState()).toMatchObject({ shownId: 7, recording: false, comparisonId: 7, baselineId: null });
    expect(useCpuProfiles.getState().profiles[0]!.label).toBe('main() exact · warm · emulated');
    expect(useInspector.getState()).toMatchObject({ bottomTab: 'CPU profile', running: false });
  });

  it('records sampled, at its rate, where the backend is not emulated', async () => {
    expect(recordableKind('exact', 'kvm')).toBe('sampled');
    expect(recordableKind('exact', 'emulated')).toBe('exact');
    useCpuProfiles.getState().configure({ kind: 'exact', backend: 'kvm', rateHz: 5000, byDuration: true, seconds: 0.5 });
    await useCpuProfiles.getState().record('fib', []);
    expect((asked[0]!.params as Params<'profile.run'>).cpu).toEqual({ kind: 'sampled', rateHz: 5000 });
    expect(asked[0]!.params).toMatchObject({ durationMs: 500, backend: 'kvm' });
    useCpuProfiles.getState().configure({ backend: '', byDuration: false, kind: 'exact' });
  });
});

describe('the kept profiles', () => {
  it('compares the newest two, and opens a profile from a Latency run once', async () => {
    await useCpuProfiles.getState().open(3);
    await useCpuProfiles.getState().open(4);
    expect(useCpuProfiles.getState()).toMatchObject({ baselineId: 3, comparisonId: 4, shownId: 4 });
    await useCpuProfiles.getState().open(3);
    expect(asked.filter((a) => a.method === 'cpuProfile.get')).toHaveLength(2);
    expect(useCpuProfiles.getState().shownId).toBe(3);
    // A pair the user picked stays when another profile comes.
    useCpuProfiles.getState().choose({ baselineId: 4, comparisonId: 3 });
    await useCpuProfiles.getState().open(5);
    expect(useCpuProfiles.getState()).toMatchObject({ baselineId: 4, comparisonId: 3, shownId: 5 });
    useCpuProfiles.getState().remove(3);
    expect(useCpuProfiles.getState()).toMatchObject({ comparisonId: null, shownId: 5 });
  });

  it('exports pprof as bytes', async () => {
    await useCpuProfiles.getState().exportAs(7, 'pprof');
    const [name, content] = vi.mocked(download).mock.calls[0]!;
    expect(name).toBe('fib.pb.gz');
    expect(new Uint8Array(await (content as Blob).arrayBuffer())).toEqual(new Uint8Array([0x1f, 0x8b, 0x08]));
  });

  it("opens a function in the code views with the profile's counts laid over them", async () => {
    await useCpuProfiles.getState().open(7);
    await useCpuProfiles.getState().openFunction('fib', file);
    const overlay = useCodeOverlay.getState().overlay!;
    if (overlay.kind !== 'profile') throw new Error('a profile overlay');
    expect(overlay.profileId).toBe(7);
    expect(overlay.lines.get(file)!.get(13)).toEqual({ self: 4, total: 4 });
    expect(useSource.getState().reveal?.line).toBe(13);
    // Only fib's own instructions.
    expect(useInspector.getState().disassembly.map((i) => i.address)).toEqual(['0x1001', '0x1002']);
  });
});
