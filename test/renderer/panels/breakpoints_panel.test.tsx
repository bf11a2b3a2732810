// @vitest-environment happy-dom
// The Breakpoints panel names each breakpoint where it is: `fib+0xb` for an address (the
// disassembly's gutter), `demo.c:14` for a line, on the line the engine resolved.
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import type { WireBreakpoint } from '../../../native/common/protocol/messages';
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
