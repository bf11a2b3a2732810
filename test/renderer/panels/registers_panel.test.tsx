// @vitest-environment happy-dom
// The Registers panel: every register at the stop, what the last step changed marked,
// RFLAGS by flag.
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import type { WireStop } from '../../../native/common/protocol/messages';
import { RegistersPanel } from '../../../renderer/src/panels/RegistersPanel';
import { useInspector } from '../../../renderer/src/state/store';

afterEach(cleanup);

function stopWith(values: Record<string, string>, flags: Record<string, boolean> = {}): WireStop {
  return { reason: 'step', rip: values.rip ?? '0x0', symbol: 'fib', registers: { values, flags } };
}

describe('the Registers panel', () => {
  it('marks the registers the last step changed, and the flags that are set', () => {
    useInspector.setState({
      stop: stopWith({ rax: '0x5', rdi: '0x4', rip: '0x100021', rflags: '0x46', 'cs.selector': '0x8', xmm0: '0x0' }, { zf: true, pf: true }),
      previousRegisters: { rax: '0x5', rdi: '0x5', rip: '0x100020', rflags: '0x46', 'cs.selector': '0x8', xmm0: '0x0' },
      debugging: true,
    });
    const { container } = render(<RegistersPanel />);
    const value = (name: string) => container.querySelector(`tr[data-register="${name}"] code`)!;
    expect(value('rdi').textContent).toBe('0x4');
    expect(value('rdi').className).toBe('changed');
    expect(value('rip').className).toBe('changed');
    expect(value('rax').className).toBe('');
    expect(value('cs.selector').textContent).toBe('0x8');
    const flags = screen.getByLabelText('Flags');
    expect([...flags.querySelectorAll('.flag.on')].map((f) => f.textContent)).toEqual(['PF', 'ZF']);
  });

  it('asks for a call to debug before there is a stop', () => {
    useInspector.setState({ stop: null });
    render(<RegistersPanel />);
    expect(screen.getByText('Debug a call to see its registers.')).toBeTruthy();
  });
});
