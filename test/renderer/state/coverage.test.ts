// Coverage runs against a stand-in engine: the calls go to coverage.run as one list, the
// result is laid over the code views (hiding a CPU profile's counts, which hide it in
// turn) with the function opened in them at its entry, until another guest is loaded;
// Export lcov saves the tracefile.
import { beforeEach, describe, expect, it, vi } from 'vitest';

import type { WireInstruction } from '../../../native/common/protocol/messages';
import type { EngineClient } from '../../../renderer/src/api/engine_client';
import { useCodeOverlay } from '../../../renderer/src/state/code_overlay';
import { exportLcov, runCoverage } from '../../../renderer/src/state/coverage';
import { useSource } from '../../../renderer/src/state/source';
import { useInspector } from '../../../renderer/src/state/store';
import { profileOf } from '../panels/profile/profile_fixture';
import { demo, exactCoverage } from './coverage_fixture';

vi.mock('../../../renderer/src/state/download', () => ({ download: vi.fn() }));
const { download } = await import('../../../renderer/src/state/download');

const instruction = (address: string, symbol: string, line?: number): WireInstruction => ({
  address,
  bytes: '90',
  mnemonic: 'nop',
  operands: '',
  symbol,
  ...(line === undefined ? {} : { file: demo, line }),
});

let asked: { method: string; params: unknown }[];

function engine(): EngineClient {
  return {
    request: (async (method: string, params: unknown) => {
      asked.push({ method, params });
      if (method === 'coverage.run') return exactCoverage;
      if (method === 'coverage.lcov') return { name: 'fib.info', lcov: 'TN:fib\nFNDA:15,fib\n' };
      if (method === 'code.disassemble')
        return [instruction('0x100020', 'fib', 12), instruction('0x100024', 'fib+0x4', 13), instruction('0x100060', 'sha256', 57)];
      if (method === 'source.read') return { file: demo, path: demo, text: 'int fib;\n'.repeat(20) };
      throw new Error(`unexpected ${method}`);
    }) as EngineClient['request'],
    onEvent: () => undefined,
  };
}

beforeEach(() => {
  asked = [];
  useInspector.setState({ client: engine(), running: false, disassembly: [], error: null, memoryVersion: 0 });
  useCodeOverlay.getState().clear();
  vi.mocked(download).mockClear();
});

describe('a coverage run', () => {
  it('runs the calls as one list and lays what they ran over the code views, at the function', async () => {
    await runCoverage('fib', [['5'], ['1']]);
    expect(asked[0]).toEqual({ method: 'coverage.run', params: { function: 'fib', calls: [['5'], ['1']] } });
    expect(useCodeOverlay.getState().overlay).toMatchObject({ kind: 'coverage', label: 'fib(5)', exact: true });
    expect(useInspector.getState()).toMatchObject({ running: false, memoryVersion: 1 });
    // Only fib's own instructions, and demo.c at its entry.
    expect(useInspector.getState().disassembly.map((i) => i.address)).toEqual(['0x100020', '0x100024']);
    expect(useSource.getState().shown?.file).toBe(demo);
    expect(useSource.getState().reveal?.line).toBe(12);
  });

  it('hides a CPU profile’s counts, and is hidden by them', async () => {
    useCodeOverlay.getState().showProfile(7, 'fib(15) exact', profileOf({ 'main>fib': 3 }));
    await runCoverage('fib', [['5']]);
    expect(useCodeOverlay.getState().overlay?.kind).toBe('coverage');
    useCodeOverlay.getState().showProfile(7, 'fib(15) exact', profileOf({ 'main>fib': 3 }));
    expect(useCodeOverlay.getState().overlay?.kind).toBe('profile');
  });

  it('leaves the code views as they were when the engine refuses', async () => {
    useInspector.setState({
      client: { request: async () => Promise.reject(new Error('fib takes 1 argument')), onEvent: () => undefined } as unknown as EngineClient,
    });
    await runCoverage('fib', [['1', '2']]);
    expect(useCodeOverlay.getState().overlay).toBeNull();
    expect(useInspector.getState()).toMatchObject({ running: false, error: 'fib takes 1 argument' });
  });

  it('is hidden when another guest is loaded', async () => {
    await runCoverage('fib', [['5']]);
    useInspector.setState({
      guest: { path: 'other.elf', backend: 'emulated', backendReason: 'requested', memorySize: '0x1000000', regions: [], functions: [] },
    });
    expect(useCodeOverlay.getState().overlay).toBeNull();
  });

  it('exports the last run as an lcov tracefile', async () => {
    await exportLcov();
    expect(asked.map((a) => a.method)).toEqual(['coverage.lcov']);
    expect(download).toHaveBeenCalledWith('fib.info', 'TN:fib\nFNDA:15,fib\n', 'text/plain');
  });
});
