// @vitest-environment happy-dom
// Recording a CPU profile: exact only offered where the backend is emulated (saying why
// elsewhere), the rate only for a sampled profile, and Record refused, with the reason,
// for settings the protocol would refuse.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { WireGuest } from '../../../../native/common/protocol/messages';
import { RecordForm } from '../../../../renderer/src/panels/profile/RecordForm';
import { recordProblems } from '../../../../renderer/src/panels/profile/record_settings';
import { type CpuProfileSettings, useCpuProfiles } from '../../../../renderer/src/state/cpu_profile';
import { useInspector } from '../../../../renderer/src/state/store';

afterEach(cleanup);

const guest = (backend: string): WireGuest => ({
  path: 'demo.elf',
  backend,
  backendReason: 'requested',
  memorySize: '0x1000000',
  regions: [],
  functions: [{ name: 'fib', returns: 'u64', params: [{ name: 'n', type: 'u32' }] }],
});
const defaults: CpuProfileSettings = { mode: 'restore', iterations: 100, seconds: 1, byDuration: false, kind: 'exact', rateHz: 1000, backend: '' };

beforeEach(() => {
  useCpuProfiles.setState({ settings: defaults, recording: false });
  useInspector.setState({ guest: guest('emulated'), running: false, debugging: false });
});

describe('the CPU profile settings', () => {
  it('offers exact on the emulated backend, and only sampled (saying why) on KVM', () => {
    render(<RecordForm />);
    const kind = screen.getByLabelText('Kind') as HTMLSelectElement;
    expect(kind.value).toBe('exact');
    expect(screen.queryByLabelText('Rate (Hz)')).toBeNull();
    fireEvent.change(screen.getByLabelText('Backend'), { target: { value: 'kvm' } });
    expect(kind.value).toBe('sampled');
    expect((screen.getByRole('option', { name: 'exact' }) as HTMLOptionElement).disabled).toBe(true);
    expect(screen.getByRole('note').textContent).toMatch(/^Exact counts need the emulated backend/);
    expect(kind.title).toBe(screen.getByRole('note').textContent);
    expect((screen.getByLabelText('Rate (Hz)') as HTMLInputElement).value).toBe('1000');
  });

  it('refuses to record with settings the protocol would refuse, saying why', () => {
    render(<RecordForm />);
    const record = screen.getByRole('button', { name: 'Record' }) as HTMLButtonElement;
    expect(record.disabled).toBe(false);
    fireEvent.change(screen.getByLabelText('Calls'), { target: { value: '0' } });
    expect(record.disabled).toBe(true);
    expect(screen.getByRole('alert').textContent).toBe('Calls: a whole number of calls, from 1 to 100,000,000');
    expect(screen.getByLabelText('Calls').getAttribute('aria-invalid')).toBe('true');
  });

  it('checks the rate only for a sampled profile, and the duration only when running for one', () => {
    expect(recordProblems({ ...defaults, rateHz: 0 }, false)).toEqual({});
    expect(recordProblems({ ...defaults, rateHz: 0.5 }, true)).toEqual({ rateHz: 'a whole number of Hz, from 1 to 100,000' });
    expect(recordProblems({ ...defaults, byDuration: true, seconds: 0.05, iterations: 0 }, false)).toEqual({ seconds: 'from 0.1 to 3,600 seconds' });
  });
});
