// @vitest-environment happy-dom
// Memory's Go to: the row of the address in sight, and the byte it names marked.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { WireGuest } from '../../../native/common/protocol/messages';
import type { EngineClient } from '../../../renderer/src/api/engine_client';
import { MemoryPanel } from '../../../renderer/src/panels/MemoryPanel';
import { useInspector } from '../../../renderer/src/state/store';

afterEach(cleanup);

beforeAll(() => {
  globalThis.ResizeObserver ??= class {
    observe() {}
    disconnect() {}
    unobserve() {}
  } as unknown as typeof ResizeObserver;
});

const guest: WireGuest = { path: 'demo.elf', backend: 'emulated', backendReason: 'requested', memorySize: '0x1000000', regions: [], functions: [] };
// Every byte of guest memory is the low byte of its address.
const client: EngineClient = {
  request: (async (method: string, params: { address: string; length: number }) => {
    if (method !== 'memory.read') throw new Error(`unexpected ${method}`);
    const start = Number(BigInt(params.address));
    return { bytes: Array.from({ length: params.length }, (_, i) => ((start + i) & 0xff).toString(16).padStart(2, '0')).join('') };
  }) as EngineClient['request'],
  onEvent: () => undefined,
};

describe('the Memory panel', () => {
  it('marks the byte Go went to', async () => {
    useInspector.setState({ client, guest, stop: null, memoryAddress: '0x100000', memoryVersion: 0 });
    render(<MemoryPanel />);
    fireEvent.change(screen.getByLabelText('Go to'), { target: { value: '0x2345' } });
    await act(async () => fireEvent.submit(screen.getByLabelText('Go to').closest('form')!));
    await waitFor(() => expect(document.querySelector('[data-address="0x2340"]')).toBeTruthy());
    const marked = [...document.querySelectorAll('[aria-current="location"]')];
    expect(marked).toHaveLength(1);
    expect(marked[0]!.className).toContain('target');
    expect(marked[0]!.closest('[data-address]')!.getAttribute('data-address')).toBe('0x2340');
    expect([...marked[0]!.parentElement!.children].indexOf(marked[0]!)).toBe(5);
    await waitFor(() => expect(marked[0]!.textContent).toBe('45'));
  });

  it('says so when the address is past the end of memory', async () => {
    useInspector.setState({ client, guest, stop: null, memoryAddress: '0x100000', memoryVersion: 0 });
    render(<MemoryPanel />);
    fireEvent.change(screen.getByLabelText('Go to'), { target: { value: '0x2000000' } });
    await act(async () => fireEvent.submit(screen.getByLabelText('Go to').closest('form')!));
    expect(screen.getByRole('alert').textContent).toBe('0x2000000 is past the end of guest memory (0x1000000)');
  });
});
