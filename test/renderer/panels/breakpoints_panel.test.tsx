// @vitest-environment happy-dom
// The Breakpoints panel names each breakpoint where it is: `fib+0xb` for an address (the
// disassembly's gutter), `demo.c:14` for a line, on the line the engine resolved; marks
// logpoints and conditions as VS Code does; edits a breakpoint by making it anew.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import type { WireBreakpoint } from '../../../native/common/protocol/messages';
import { type EngineClient, EngineError } from '../../../renderer/src/api/engine_client';
import { BreakpointsPanel, breakpointName } from '../../../renderer/src/panels/BreakpointsPanel';
import { useInspector } from '../../../renderer/src/state/store';

afterEach(cleanup);

const at = (fields: Partial<WireBreakpoint>): WireBreakpoint => ({
  id: 1,
  location: '0x10002b',
  address: '0x10002b',
  condition: '',
  hitCondition: '',
  logMessage: '',
  enabled: true,
  hits: 0,
  ...fields,
});

describe('breakpoint names', () => {
  it('are a symbol and offset for an address, file:line for a line, the symbol as given', () => {
    expect(breakpointName(at({ symbol: 'fib+0xb', file: '/work/native/demo/demo.c', line: 13 }))).toBe('fib+0xb');
    // Asked for line 12, which has no code: the engine put it on 13.
    expect(breakpointName(at({ location: '/work/native/demo/demo.c:12', symbol: 'fib+0xb', file: '/work/native/demo/demo.c', line: 13 }))).toBe('demo.c:13');
    expect(breakpointName(at({ location: 'fib', address: '0x100020', symbol: 'fib' }))).toBe('fib');
    expect(breakpointName(at({}))).toBe('0x10002b'); // nothing known of it
  });

  it('are what the list shows and labels each row with', () => {
    useInspector.setState({
      guest: null,
      watchpoints: [],
      breakpoints: [
        at({ symbol: 'fib+0xb', file: '/work/native/demo/demo.c', line: 13, hits: 2 }),
        at({
          id: 2,
          location: '/work/native/demo/demo.c:14',
          address: '0x100030',
          symbol: 'fib+0x10',
          file: '/work/native/demo/demo.c',
          line: 14,
          condition: 'n == 2',
          enabled: false,
        }),
      ],
    });
    render(<BreakpointsPanel />);
    const rows = screen.getAllByRole('listitem');
    expect(rows.map((row) => row.querySelector('.point-name')?.textContent)).toEqual(['fib+0xb', 'demo.c:14']);
    expect(rows[0]!.textContent).toContain('fib+0xb demo.c:13 · 0x10002b');
    expect(rows[1]!.textContent).toContain('if n == 2');
    expect(screen.getByLabelText('Breakpoint demo.c:14 enabled')).toBeTruthy();
    expect(rows[1]!.querySelector('.codicon-debug-breakpoint-conditional-disabled')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Remove breakpoint fib+0xb' })).toBeTruthy();
  });
});

describe('editing a breakpoint', () => {
  it('marks a logpoint with a diamond and a hit condition as conditional, and says what each does', () => {
    useInspector.setState({
      guest: null,
      watchpoints: [],
      breakpoints: [
        at({ id: 1, location: 'fib', symbol: 'fib', logMessage: 'fib({n})' }),
        at({ id: 2, location: 'add', symbol: 'add', hitCondition: '3' }),
        at({ id: 3, location: 'greet', symbol: 'greet', hitCondition: '% 2', logMessage: 'hi', enabled: false }),
      ],
    });
    render(<BreakpointsPanel />);
    const rows = screen.getAllByRole('listitem');
    expect(rows.map((row) => row.querySelector('.breakpoint-dot')!.className)).toEqual([
      'codicon codicon-debug-breakpoint-log breakpoint-dot',
      'codicon codicon-debug-breakpoint-conditional breakpoint-dot',
      'codicon codicon-debug-breakpoint-log-disabled breakpoint-dot',
    ]);
    expect(rows.map((row) => [...row.querySelectorAll('.breakpoint-term')].map((t) => t.textContent))).toEqual([
      [' logs fib({n})'],
      [' hit count >= 3'],
      [' hit count % 2', ' logs hi'],
    ]);
  });

  it('makes it anew with the new terms, as enabled as it was, and says why the engine refused one', async () => {
    const asked: string[] = [];
    let list: WireBreakpoint[] = [at({ id: 4, location: 'fib', symbol: 'fib', condition: 'n == 2', enabled: false })];
    const client: EngineClient = {
      request: (async (method: string, params: Record<string, unknown>) => {
        asked.push(`${method} ${JSON.stringify(params)}`);
        if (method === 'breakpoint.add') {
          if (params.condition === 'n = = 1') throw new EngineError({ kind: 'usage', message: "'n = = 1': column 3: an operand before '='" });
          const made = at({ id: 5, location: 'fib', symbol: 'fib', ...params });
          list = [...list, made];
          return made;
        }
        if (method === 'breakpoint.remove') list = list.filter((b) => b.id !== params.id);
        if (method === 'breakpoint.enable') list = list.map((b) => (b.id === params.id ? { ...b, enabled: params.enabled as boolean } : b));
        if (method === 'breakpoint.list') return list;
        if (method === 'watchpoint.list') return [];
        return null;
      }) as EngineClient['request'],
      onEvent: () => undefined,
    };
    useInspector.setState({ client, guest: null, watchpoints: [], breakpoints: list });
    render(<BreakpointsPanel />);
    fireEvent.click(screen.getByRole('button', { name: 'Edit breakpoint fib' }));
    const form = screen.getByRole('form', { name: 'Edit breakpoint fib' });
    const condition = screen.getByLabelText('Breakpoint condition') as HTMLInputElement;
    expect(condition.value).toBe('n == 2');
    fireEvent.change(condition, { target: { value: 'n = = 1' } });
    await act(async () => fireEvent.submit(form));
    expect(screen.getByRole('alert').textContent).toBe("'n = = 1': column 3: an operand before '='");
    expect(useInspector.getState().breakpoints.map((b) => b.id)).toEqual([4]); // the old one stays

    asked.length = 0;
    fireEvent.change(condition, { target: { value: 'n == 1' } });
    fireEvent.change(screen.getByLabelText('Hit condition'), { target: { value: ' >= 2 ' } });
    await act(async () => fireEvent.submit(form));
    expect(asked).toEqual([
      'breakpoint.add {"location":"fib","condition":"n == 1","hitCondition":">= 2"}',
      'breakpoint.remove {"id":4}',
      'breakpoint.enable {"id":5,"enabled":false}',
      'breakpoint.list {}',
      'watchpoint.list {}',
    ]);
    expect(screen.queryByRole('form', { name: 'Edit breakpoint fib' })).toBeNull();
    expect(useInspector.getState().breakpoints).toMatchObject([{ id: 5, condition: 'n == 1', hitCondition: '>= 2', enabled: false }]);
  });
});
