// @vitest-environment happy-dom
// The Variables and Watch panels over a fake engine: the scopes read at each stop in the
// selected frame, a value marked when it differs from the stop before's, the registers as
// a scope, a value set through variables.set and everything read again, the watches
// evaluated in the frame (their errors in place) and kept in localStorage.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { WireStop, WireVariable } from '../../../native/common/protocol/messages';
import { type EngineClient, EngineError } from '../../../renderer/src/api/engine_client';
import { VariablesPanel } from '../../../renderer/src/panels/VariablesPanel';
import { WatchPanel } from '../../../renderer/src/panels/WatchPanel';
import { useInspector } from '../../../renderer/src/state/store';
import { followStops, useVariables } from '../../../renderer/src/state/variables';

const v = (name: string, value: string, type = 'uint32_t'): WireVariable => ({ name, value, type, expression: name, expandable: false });
const stop = (rdi: string): WireStop => ({ reason: 'step', rip: '0x100020', symbol: 'fib', registers: { values: { rax: '0x0', rdi }, flags: {} } });

// The engine's n in each frame, and what was asked of it.
let n: number[];
let asked: string[];
let unfollow: () => void;

const client: EngineClient = {
  request: (async (method: string, params: { frame: number; expression?: string; value?: string }) => {
    asked.push(`${method} ${params.frame ?? ''}${params.expression ? ` ${params.expression}` : ''}`);
    const frame = params.frame;
    if (method === 'variables.scopes')
      return [
        { name: 'Arguments', variables: [v('n', String(n[frame]!))] },
        { name: 'Locals', variables: [] },
      ];
    if (method === 'variables.evaluate') {
      if (params.expression === 'n * 10') return v('n * 10', String(n[frame]! * 10), 'unsigned int');
      throw new EngineError({ kind: 'usage', message: `'${params.expression}': column 1: nothing is named '${params.expression}' in frame ${frame}` });
    }
    if (method === 'variables.set') {
      if (!/^\d+$/.test(params.value!)) throw new EngineError({ kind: 'usage', message: `'${params.value}': column 1: not a value` });
      n[frame] = Number(params.value);
      return v('n', params.value!);
    }
    if (method === 'registers.get') return { values: { rax: '0x0', rdi: `0x${n[0]!.toString(16)}` }, flags: {} };
    if (method === 'stack.backtrace') return [];
    throw new Error(`unexpected ${method}`);
  }) as EngineClient['request'],
  onEvent: () => undefined,
};

async function stopAt(rdi: string) {
  await act(async () => useInspector.setState({ stop: stop(rdi), stopCount: useInspector.getState().stopCount + 1, selectedFrame: 0 }));
}

beforeEach(() => {
  n = [2, 3];
  asked = [];
  localStorage.clear();
  useVariables.setState({ watches: [], watchResults: {}, scopes: [] });
  useInspector.setState({ client, debugging: true, running: false, stop: null, stopCount: 0, previousRegisters: null, selectedFrame: 0, frames: [] });
  unfollow = followStops();
});

afterEach(() => {
  unfollow();
  cleanup();
});

const arguments_ = () => screen.getByRole('tree', { name: 'Arguments' });
const row = (name: string) => screen.getByRole('treeitem', { name });

describe('the Variables panel', () => {
  it("reads the selected frame's scopes at each stop, and marks what the stop before showed otherwise", async () => {
    render(<VariablesPanel />);
    await stopAt('0x2');
    expect(arguments_().textContent).toBe('n: 2uint32_t');
    expect(row('n: 2').querySelector('.variable-value')!.className).toBe('variable-value'); // no stop before
    expect(screen.getByRole('button', { name: 'Locals' }).nextElementSibling!.textContent).toBe('None.');

    n[0] = 7;
    await stopAt('0x7');
    expect(row('n: 7').querySelector('.variable-value')!.className).toBe('variable-value changed');
    await stopAt('0x7');
    expect(row('n: 7').querySelector('.variable-value')!.className).toBe('variable-value');

    // The caller's frame: its own n, and no mark from frame 0's values.
    await act(async () => useInspector.setState({ selectedFrame: 1 }));
    expect(row('n: 3').querySelector('.variable-value')!.className).toBe('variable-value');
    expect(asked.filter((a) => a.startsWith('variables.scopes'))).toEqual([
      'variables.scopes 0',
      'variables.scopes 0',
      'variables.scopes 0',
      'variables.scopes 1',
    ]);
  });

  it('shows the registers as a scope, the changed ones marked', async () => {
    render(<VariablesPanel />);
    await stopAt('0x2');
    await act(async () => useInspector.setState({ previousRegisters: { rax: '0x0', rdi: '0x5' } }));
    fireEvent.click(screen.getByRole('button', { name: 'Registers' }));
    const registers = screen.getByRole('tree', { name: 'Registers' });
    expect([...registers.querySelectorAll('[role="treeitem"]')].map((r) => r.getAttribute('aria-label'))).toEqual(['rax: 0x0', 'rdi: 0x2']);
    expect(row('rdi: 0x2').querySelector('.variable-value')!.className).toBe('variable-value changed');
    expect(row('rax: 0x0').querySelector('.variable-value')!.className).toBe('variable-value');
  });

  it('sets a value with variables.set, then reads the registers, the frames and the scopes again', async () => {
    render(<VariablesPanel />);
    await stopAt('0x2');
    fireEvent.doubleClick(row('n: 2'));
    fireEvent.change(screen.getByLabelText('New value of n'), { target: { value: 'x' } });
    await act(async () => fireEvent.submit(screen.getByLabelText('New value of n').closest('form')!));
    expect(screen.getByRole('alert').textContent).toBe("'x': column 1: not a value");
    expect(n[0]).toBe(2);
    asked = [];
    fireEvent.change(screen.getByLabelText('New value of n'), { target: { value: '5' } });
    await act(async () => fireEvent.submit(screen.getByLabelText('New value of n').closest('form')!));
    expect(asked).toEqual(['variables.set 0 n', 'registers.get ', 'stack.backtrace ', 'variables.scopes 0']);
    expect(arguments_().textContent).toBe('n: 5uint32_t');
    expect(useInspector.getState().stop!.registers.values.rdi).toBe('0x5');
  });

  it('asks for a call to debug when none is paused', async () => {
    useInspector.setState({ debugging: false });
    render(<VariablesPanel />);
    expect(screen.getByRole('region', { name: 'Variables' }).textContent).toBe('VariablesDebug a call to see its variables.');
  });
});

describe('the Watch panel', () => {
  it('evaluates each expression in the selected frame, its error in place, and keeps them', async () => {
    render(<WatchPanel />);
    await stopAt('0x2');
    for (const expression of ['n * 10', 'nope']) {
      fireEvent.change(screen.getByLabelText('Add watch expression'), { target: { value: expression } });
      await act(async () => fireEvent.submit(screen.getByLabelText('Add watch expression').closest('form')!));
    }
    const labels = () => screen.getAllByRole('treeitem').map((r) => r.getAttribute('aria-label'));
    expect(labels()).toEqual(['n * 10: 20', "nope: 'nope': column 1: nothing is named 'nope' in frame 0"]);
    expect(JSON.parse(localStorage.getItem('microscope.watch')!)).toEqual(['n * 10', 'nope']);
    await act(async () => useInspector.setState({ selectedFrame: 1 }));
    expect(labels()).toEqual(['n * 10: 30', "nope: 'nope': column 1: nothing is named 'nope' in frame 1"]);

    // Renamed by double-clicking the expression; removed with its button.
    fireEvent.doubleClick(screen.getByText('nope'));
    fireEvent.change(screen.getByLabelText('Edit watch nope'), { target: { value: 'n * 10' } });
    await act(async () => fireEvent.submit(screen.getByLabelText('Edit watch nope').closest('form')!));
    expect(labels()).toEqual(['n * 10: 30', 'n * 10: 30']);
    await act(async () => fireEvent.click(screen.getAllByRole('button', { name: 'Remove watch n * 10' })[1]!));
    expect(labels()).toEqual(['n * 10: 30']);
    expect(JSON.parse(localStorage.getItem('microscope.watch')!)).toEqual(['n * 10']);
  });
});
