// @vitest-environment happy-dom
// The Disassembly: the current instruction marked only while a call is debugged (a stopped
// call leaves no highlight), the instructions of the Source cursor's line marked, and a
// CPU profile's counts or coverage in a column while the code overlay is on.
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import type { WireInstruction, WireStop } from '../../../native/common/protocol/messages';
import type { EngineClient } from '../../../renderer/src/api/engine_client';
import { DisassemblyPanel } from '../../../renderer/src/panels/DisassemblyPanel';
import { useCodeOverlay } from '../../../renderer/src/state/code_overlay';
import { useSource } from '../../../renderer/src/state/source';
import { useInspector } from '../../../renderer/src/state/store';
import { kvmCoverage } from '../state/coverage_fixture';
import { profileOf } from './profile/profile_fixture';

afterEach(cleanup);

const file = '/work/native/demo/demo.c';
const instruction = (address: string, line: number): WireInstruction => ({ address, bytes: '90', mnemonic: 'nop', operands: '', symbol: 'fib', file, line });
const disassembly = [instruction('0x100020', 13), instruction('0x100021', 12), instruction('0x10002b', 13), instruction('0x100030', 14)];
const stop: WireStop = { reason: 'step', rip: '0x100021', symbol: 'fib+0x1', file, line: 12, registers: { values: {}, flags: {} } };

const addresses = (selector: string) => [...document.querySelectorAll(selector)].map((row) => row.querySelector('td.address')?.textContent);

describe('the Disassembly panel', () => {
  it('marks the current instruction while the call is debugged, and nothing once it is stopped', () => {
    useInspector.setState({ disassembly, stop, debugging: true, frames: [], selectedFrame: 0, breakpoints: [] });
    const { rerender } = render(<DisassemblyPanel />);
    expect(addresses('tr[aria-current="true"]')).toEqual(['0x100021']);
    useInspector.setState({ debugging: false });
    rerender(<DisassemblyPanel />);
    expect(addresses('tr[aria-current="true"]')).toEqual([]);
    expect(document.querySelectorAll('tr.current')).toHaveLength(0);
  });

  it('clears the stop when the call is stopped from the toolbar', async () => {
    const client = { request: async () => null, onEvent: () => undefined } as unknown as EngineClient;
    useInspector.setState({ client, disassembly, stop, debugging: true, running: false, frames: [], selectedFrame: 0, breakpoints: [] });
    render(<DisassemblyPanel />);
    await act(() => useInspector.getState().stopDebugging());
    expect(useInspector.getState().stop).toBeNull();
    expect(document.querySelectorAll('tr.current')).toHaveLength(0);
  });

  it("marks every instruction of the Source cursor's line", () => {
    useInspector.setState({ disassembly, stop, debugging: true, frames: [], selectedFrame: 0, breakpoints: [] });
    useSource.setState({ cursor: { file, line: 13 } });
    render(<DisassemblyPanel />);
    expect(addresses('tr[data-of-line="true"]')).toEqual(['0x100020', '0x10002b']);
    expect(screen.getByRole('region', { name: 'Disassembly' }).querySelector('.code-grid')!.getAttribute('tabindex')).toBe('0');
  });

  it("shows each instruction's count while the profile overlay is on, and none once it is off", () => {
    useInspector.setState({ disassembly, stop, debugging: false, frames: [], selectedFrame: 0, breakpoints: [] });
    // Both stacks ran at 0x100021 (the fixture's own addresses are elsewhere).
    const profile = profileOf({ 'main>fib': 3, 'main>fib>fib': 1 });
    for (const location of profile.locations) location.address = 0x100021;
    act(() => useCodeOverlay.getState().showProfile(1, 'fib() exact', profile));
    render(<DisassemblyPanel />);
    const counts = () => [...document.querySelectorAll('td.count')].map((cell) => cell.textContent);
    expect(counts()).toEqual(['', '4', '', '']);
    expect(document.querySelector('td.count.hot')!.getAttribute('title')).toBe('In the profile: ran 4 times (100.0%)');
    act(() => useCodeOverlay.getState().clear());
    expect(document.querySelectorAll('td.count')).toHaveLength(0);
  });

  it('marks each instruction executed or not with coverage on, and says what KVM does not know', () => {
    useInspector.setState({ disassembly, stop, debugging: false, frames: [], selectedFrame: 0, breakpoints: [] });
    const lines: [number, number][] = [
      [12, 1],
      [13, 1],
      [14, 0],
    ];
    act(() => useCodeOverlay.getState().showCoverage({ ...kvmCoverage, files: [{ path: file, lines }], instructions: [['0x100021', 1]] }));
    render(<DisassemblyPanel />);
    const cells = () => [...document.querySelectorAll('td.count')].map((cell) => `${cell.className}:${cell.textContent}`);
    // Line 13 was hit, but KVM saw neither of its instructions: not known. Line 14 never was.
    expect(cells()).toEqual(['count:', 'count executed:hit', 'count:', 'count not-executed:']);
    expect(screen.getByLabelText('Coverage note').textContent).toBe('Coverage of fib(5) · KVM: lines hit, not counted (only statement starts are known)');
    act(() => useCodeOverlay.getState().clear());
    expect(document.querySelectorAll('td.count')).toHaveLength(0);
    expect(screen.queryByLabelText('Coverage note')).toBeNull();
  });
});
