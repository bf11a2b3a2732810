// The Latency panel's settings for the next run: the function and its arguments, the mode,
// how long (calls or seconds) and how many warm-up calls, the backend; Profile, and Import
// for a profile made elsewhere. A count that can't be run (calls = 0) is said beside its
// field, and Profile waits until it is mended.
import { type ChangeEvent, type FormEvent, useRef } from 'react';

import { useLatency } from '../../state/latency';
import { useInspector } from '../../state/store';
import { settingsProblems } from './profile_settings';

export function ProfileForm() {
  const { guest, debugging, running: busy } = useInspector();
  const { settings, configure, run, importFile } = useLatency();
  const functions = guest?.functions ?? [];
  const fn = functions.some((f) => f.name === settings.function) ? settings.function : (functions[0]?.name ?? '');
  const picker = useRef<HTMLInputElement>(null);
  const problems = settingsProblems(settings);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = fn || functions[0]?.name;
    if (name) void run(name, settings.args.trim() ? settings.args.split(',').map((a) => a.trim()) : []);
  };
  const picked = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) void importFile(file);
    event.target.value = '';
  };

  return (
    <form onSubmit={submit} className="row wrap" aria-label="Profile settings">
      <select aria-label="Function" value={fn} onChange={(e) => configure({ function: e.target.value })}>
        {functions.map((f) => (
          <option key={f.name} value={f.name}>
            {f.name}
          </option>
        ))}
      </select>
      <input aria-label="Arguments" placeholder="arguments, comma-separated" value={settings.args} onChange={(e) => configure({ args: e.target.value })} />
      <select aria-label="Mode" value={settings.mode} onChange={(e) => configure({ mode: e.target.value as typeof settings.mode })}>
        <option value="restore">restore</option>
        <option value="warm">warm</option>
        <option value="cold">cold</option>
      </select>
      <select aria-label="Run for" value={settings.byDuration ? 'seconds' : 'calls'} onChange={(e) => configure({ byDuration: e.target.value === 'seconds' })}>
        <option value="calls">calls</option>
        <option value="seconds">seconds</option>
      </select>
      {settings.byDuration ? (
        <NumberField label="Seconds" min={0.1} step={0.1} value={settings.seconds} problem={problems.seconds} onChange={(seconds) => configure({ seconds })} />
      ) : (
        <NumberField label="Calls" min={1} value={settings.iterations} problem={problems.iterations} onChange={(iterations) => configure({ iterations })} />
      )}
      <NumberField
        label="Warm-up calls"
        min={0}
        value={settings.warmup}
        problem={problems.warmup}
        onChange={(warmup) => configure({ warmup })}
        title="warm-up calls, summarized apart"
      />
      <select aria-label="Backend" value={settings.backend} onChange={(e) => configure({ backend: e.target.value as typeof settings.backend })}>
        <option value="">{guest ? `${guest.backend} (loaded)` : 'loaded'}</option>
        <option value="emulated">emulated</option>
        <option value="kvm">kvm</option>
      </select>
      <label className="check">
        <input type="checkbox" checked={settings.keepRows} onChange={(e) => configure({ keepRows: e.target.checked })} /> keep every call (CSV)
      </label>
      <button type="submit" disabled={!guest || busy || debugging || Object.keys(problems).length > 0}>
        Profile
      </button>
      <button type="button" onClick={() => picker.current?.click()}>
        Import…
      </button>
      <input ref={picker} type="file" accept=".json,application/json" aria-label="Profile file" hidden onChange={picked} />
    </form>
  );
}

/** A number with its name beside it, and what is wrong with it, if anything, after it. */
function NumberField(props: { label: string; min: number; step?: number; value: number; problem?: string; onChange(value: number): void; title?: string }) {
  const id = `profile-${props.label.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <>
      <label className="number-field" title={props.title}>
        {props.label}
        <input
          type="number"
          min={props.min}
          step={props.step}
          value={Number.isNaN(props.value) ? '' : props.value}
          aria-invalid={props.problem ? true : undefined}
          aria-describedby={props.problem ? `${id}-problem` : undefined}
          onChange={(e) => props.onChange(e.target.value === '' ? NaN : Number(e.target.value))}
        />
      </label>
      {props.problem && (
        <span id={`${id}-problem`} className="problem" role="alert">
          {props.label}: {props.problem}
        </span>
      )}
    </>
  );
}
