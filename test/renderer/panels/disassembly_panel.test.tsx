// @vitest-environment happy-dom
// The Disassembly: the current instruction marked only while a call is debugged (a stopped
// call leaves no highlight), and the instructions of the Source cursor's line marked.
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import type { WireInstruction, WireStop } from '../../../native/common/protocol/messages';
import type { EngineClient } from '../../../renderer/src/api/engine_client';
import { DisassemblyPanel } from '../../../renderer/src/panels/DisassemblyPanel';
import { useSource } from '../../../renderer/src/state/source';
import { useInspector } from '../../../renderer/src/state/store';

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
});
