// @vitest-environment happy-dom
// The Latency panel refuses what it can't run: calls = 0 (which ran one call), a duration
// under 0.1 s, fractional or negative warm-up calls; said beside the field, Profile
// disabled, and the store refuses the run whoever asks for it.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ProfileForm } from '../../../../renderer/src/panels/latency/ProfileForm';
import { settingsProblems } from '../../../../renderer/src/panels/latency/profile_settings';
import { type ProfileSettings, useLatency } from '../../../../renderer/src/state/latency';
import { useInspector } from '../../../../renderer/src/state/store';

afterEach(cleanup);

const settings: ProfileSettings = {
  function: 'f',
  args: '',
  mode: 'warm',
  iterations: 100,
  seconds: 5,
  byDuration: false,
  warmup: 10,
  backend: '',
  keepRows: false,
};

describe('profile settings', () => {
  it('refuse calls = 0 and the like, and nothing else', () => {
    expect(settingsProblems(settings)).toEqual({});
    expect(settingsProblems({ ...settings, iterations: 0 })).toEqual({ iterations: 'at least 1 call' });
    expect(settingsProblems({ ...settings, iterations: -5 })).toEqual({ iterations: 'at least 1 call' });
    expect(settingsProblems({ ...settings, iterations: 2.5 })).toEqual({ iterations: 'a whole number of calls, at least 1' });
    expect(settingsProblems({ ...settings, iterations: NaN })).toEqual({ iterations: 'a whole number of calls, at least 1' });
    expect(settingsProblems({ ...settings, warmup: -1 })).toEqual({ warmup: 'at least 0 warm-up calls' });
    expect(settingsProblems({ ...settings, warmup: 0 })).toEqual({});
    // By duration, the count of calls doesn't matter.
    expect(settingsProblems({ ...settings, byDuration: true, iterations: 0 })).toEqual({});
    expect(settingsProblems({ ...settings, byDuration: true, seconds: 0 })).toEqual({ seconds: 'at least 0.1 seconds' });
  });

  it('are refused in the form, beside the field, with Profile disabled', () => {
    useInspector.setState({
      guest: {
        path: 'demo.elf',
        backend: 'emulated',
        backendReason: 'requested',
        memorySize: '0x1000000',
        regions: [],
        functions: [{ name: 'f', params: [], returns: 'i32' }],
      },
    });
    useLatency.setState({ settings });
    render(<ProfileForm />);
    const calls = screen.getByLabelText('Calls') as HTMLInputElement;
    const profile = screen.getByRole('button', { name: 'Profile' }) as HTMLButtonElement;
    expect(screen.getByLabelText('Warm-up calls')).toBeTruthy();
    expect(screen.getByText('Calls')).toBeTruthy(); // a visible label, not only an accessible name
    expect(profile.disabled).toBe(false);
    fireEvent.change(calls, { target: { value: '0' } });
    expect(calls.value).toBe('0'); // as typed, not silently made 1
    expect(calls.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toBe('Calls: at least 1 call');
    expect(calls.getAttribute('aria-describedby')).toBe(screen.getByRole('alert').id);
    expect(profile.disabled).toBe(true);
    fireEvent.change(calls, { target: { value: '3' } });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(profile.disabled).toBe(false);
  });

  it('are refused by the store, whoever asks for the run', async () => {
    const attempt = vi.fn();
    useInspector.setState({ attempt, bottomTab: 'Memory' });
    useLatency.setState({ settings: { ...settings, iterations: 0 } });
    await useLatency.getState().run('f', []);
    expect(attempt).not.toHaveBeenCalled();
    expect(useLatency.getState().running).toBe(false);
    expect(useInspector.getState().bottomTab).toBe('Latency');
  });
});
