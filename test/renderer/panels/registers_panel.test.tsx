// @vitest-environment happy-dom
// The Registers panel: every register at the stop, what the last step changed marked,
// RFLAGS by flag.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
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

describe('changing a register', () => {
  function editRdi(set: (name: string, value: string) => Promise<string | null>) {
    useInspector.setState({
      stop: stopWith({ rdi: '0x4', rip: '0x100020' }),
      previousRegisters: null,
      debugging: true,
      running: false,
      setRegister: set,
    });
    const { container } = render(<RegistersPanel />);
    fireEvent.doubleClick(container.querySelector('tr[data-register="rdi"] code')!);
    return screen.getByLabelText('New rdi') as HTMLInputElement;
  }

  it('says inline why a value is refused, and keeps what was typed', async () => {
    const sent: string[] = [];
    const input = editRdi(async (_name, value) => (sent.push(value), null));
    fireEvent.change(input, { target: { value: '12z' } });
    fireEvent.submit(input.form!);
    expect((await screen.findByRole('alert')).textContent).toBe("rdi: a 0x-hex or decimal integer, got '12z'");
    expect(input.value).toBe('12z');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    // 2^64: one past the register, refused rather than wrapped.
    fireEvent.change(input, { target: { value: '18446744073709551616' } });
    fireEvent.submit(input.form!);
    expect((await screen.findByRole('alert')).textContent).toBe('rdi is 64 bits: from -9223372036854775808 to 18446744073709551615 (0xffffffffffffffff)');
    expect(sent).toEqual([]);
  });

  it("takes decimal and negative values, as two's complement", async () => {
    const sent: string[] = [];
    const input = editRdi(async (_name, value) => (sent.push(value), null));
    fireEvent.change(input, { target: { value: '-1' } });
    fireEvent.submit(input.form!);
    await waitFor(() => expect(sent).toEqual(['0xffffffffffffffff']));
    await waitFor(() => expect(screen.queryByLabelText('New rdi')).toBeNull());
  });

  it('says why the engine refused one', async () => {
    const input = editRdi(async () => 'no call is being debugged');
    fireEvent.change(input, { target: { value: '0x10' } });
    fireEvent.submit(input.form!);
    expect((await screen.findByRole('alert')).textContent).toBe('no call is being debugged');
  });
});
