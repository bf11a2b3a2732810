// @vitest-environment happy-dom
// The Functions panel's form: one field per parameter, checked as the user types; Coverage
// of the arguments, or of a list of calls grown one call at a time.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import type { WireGuest } from '../../../native/common/protocol/messages';
import type { EngineClient } from '../../../renderer/src/api/engine_client';
import { FunctionsPanel } from '../../../renderer/src/panels/FunctionsPanel';
import { useInspector } from '../../../renderer/src/state/store';
import { exactCoverage } from '../state/coverage_fixture';

afterEach(cleanup);

describe('the Functions panel', () => {
  it('lists signatures and checks each argument as it is typed', () => {
    useInspector.setState({
      guest: {
        path: 'demo.elf',
        backend: 'emulated',
        backendReason: 'requested',
        memorySize: '0x1000000',
        regions: [],
        functions: [
          {
            name: 'add',
            params: [
              { name: 'a', type: 'i64' },
              { name: 'b', type: 'i64' },
            ],
            returns: 'i64',
          },
          { name: 'greet', params: [{ name: 'name', type: 'str' }], returns: 'str' },
        ],
      },
    });
    render(<FunctionsPanel />);
    expect(screen.getByRole('region', { name: 'Functions' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'i64 add(i64 a, i64 b)' }).getAttribute('aria-pressed')).toBe('true');
    const a = screen.getByLabelText('a') as HTMLInputElement;
    fireEvent.change(a, { target: { value: '9223372036854775808' } });
    expect(a.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('i64: out of range (-9223372036854775808 to 9223372036854775807)')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Call' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(a, { target: { value: '-0x10' } });
    expect(a.getAttribute('aria-invalid')).toBe('false');
    expect((screen.getByRole('button', { name: 'Call' }) as HTMLButtonElement).disabled).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'str greet(str name)' }));
    expect(screen.getByRole('form', { name: 'Call greet' })).toBeTruthy();
  });
});

describe('coverage from the Functions panel', () => {
  const guest: WireGuest = {
    path: 'demo.elf',
    backend: 'emulated',
    backendReason: 'requested',
    memorySize: '0x1000000',
    regions: [],
    functions: [{ name: 'fib', params: [{ name: 'n', type: 'u32' }], returns: 'u64' }],
  };
  let runs: unknown[];
  const client = {
    request: async (method: string, params: unknown) => {
      if (method === 'coverage.run') runs.push(params);
      return method === 'coverage.run' ? exactCoverage : [];
    },
    onEvent: () => undefined,
  } as unknown as EngineClient;
  const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

  it('runs the arguments once, or a list of calls added one at a time', async () => {
    runs = [];
    useInspector.setState({ guest, client, running: false, debugging: false });
    render(<FunctionsPanel />);
    fireEvent.change(screen.getByLabelText('n'), { target: { value: '5' } });
    await act(async () => fireEvent.click(button('Coverage')));
    expect(runs).toEqual([{ function: 'fib', calls: [['5']] }]);

    fireEvent.click(button('Coverage of several argument lists'));
    expect(button('Run coverage').disabled).toBe(true);
    fireEvent.click(button('Add these arguments'));
    fireEvent.change(screen.getByLabelText('n'), { target: { value: '10' } });
    fireEvent.click(button('Add these arguments'));
    const calls = screen.getByLabelText('Calls') as HTMLTextAreaElement;
    expect(calls.value).toBe('["5"]\n["10"]\n');
    await act(async () => fireEvent.click(button('Run coverage of 2 calls')));
    expect(runs.at(-1)).toEqual({ function: 'fib', calls: [['5'], ['10']] });
  });

  it('says which pasted line is wrong, and runs none of them', () => {
    useInspector.setState({ guest, client, running: false, debugging: false });
    render(<FunctionsPanel />);
    fireEvent.click(button('Coverage of several argument lists'));
    fireEvent.change(screen.getByLabelText('Calls'), { target: { value: '[20]\n[1, 2]' } });
    expect(screen.getByText('Line 2: fib takes 1 argument, not 2')).toBeTruthy();
    expect(screen.getByLabelText('Calls').getAttribute('aria-invalid')).toBe('true');
    expect(button('Run coverage').disabled).toBe(true);
    // A wrong field can't be added.
    fireEvent.change(screen.getByLabelText('n'), { target: { value: '-1' } });
    expect(button('Add these arguments').disabled).toBe(true);
    expect(button('Coverage').disabled).toBe(true);
  });
});
