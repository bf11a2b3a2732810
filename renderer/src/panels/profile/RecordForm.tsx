// Recording a CPU profile: the Latency view's function and arguments (one place to type
// them), then how long, how each call starts, which backend, exact or sampled and at what
// rate (refused, saying why, outside the protocol's bounds); the Latency view's progress
// and Cancel while it runs. Import… opens a profile
// saved with Export → Microscope (.cpu.json).
import { type ChangeEvent, type FormEvent, useRef } from 'react';

import { recordableKind, useCpuProfiles } from '../../state/cpu_profile';
import { useLatency } from '../../state/latency';
import { useInspector } from '../../state/store';
import { recordProblems } from './record_settings';

const exactOnlyEmulated = 'Exact counts need the emulated backend, which sees every instruction; KVM runs the guest natively, so there it can only be sampled.';

export function RecordForm() {
  const { guest, debugging, running: busy } = useInspector();
  const { settings: latency, configure: configureLatency, progress, cancel } = useLatency();
  const { settings, recording, configure, record, importFile } = useCpuProfiles();
  const picker = useRef<HTMLInputElement>(null);
  const functions = guest?.functions ?? [];
  const fn = functions.some((f) => f.name === latency.function) ? latency.function : (functions[0]?.name ?? '');
  const backend = settings.backend || guest?.backend;
  const kind = recordableKind(settings.kind, backend);
  const problems = recordProblems(settings, kind === 'sampled');
  const names = { iterations: 'Calls', seconds: 'Seconds', rateHz: 'Rate' } as const;
  const reasons = Object.entries(problems).map(([field, why]) => `${names[field as keyof typeof names]}: ${why}`);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (fn) void record(fn, latency.args.trim() ? latency.args.split(',').map((a) => a.trim()) : []);
  };
  const picked = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) void importFile(file);
    event.target.value = '';
  };
  const share = progress ? (progress.total ? progress.done / progress.total : progress.durationMs ? progress.elapsedMs / progress.durationMs : 0) : 0;

  return (
    <>
      <form onSubmit={submit} className="row wrap" aria-label="CPU profile settings">
        <select aria-label="Function" value={fn} onChange={(e) => configureLatency({ function: e.target.value })}>
          {functions.map((f) => (
            <option key={f.name} value={f.name}>
              {f.name}
            </option>
          ))}
        </select>
        <input
          aria-label="Arguments"
          placeholder="arguments, comma-separated"
          value={latency.args}
          onChange={(e) => configureLatency({ args: e.target.value })}
        />
        <select aria-label="Mode" value={settings.mode} onChange={(e) => configure({ mode: e.target.value as typeof settings.mode })}>
          <option value="restore">restore</option>
          <option value="warm">warm</option>
          <option value="cold">cold</option>
        </select>
        <select
          aria-label="Run for"
          value={settings.byDuration ? 'seconds' : 'calls'}
          onChange={(e) => configure({ byDuration: e.target.value === 'seconds' })}
        >
          <option value="calls">calls</option>
          <option value="seconds">seconds</option>
        </select>
        {settings.byDuration ? (
          <input
            aria-label="Seconds"
            type="number"
            min={0.1}
            step={0.1}
            value={settings.seconds}
            aria-invalid={problems.seconds !== undefined}
            onChange={(e) => configure({ seconds: Number(e.target.value) })}
          />
        ) : (
          <input
            aria-label="Calls"
            type="number"
            min={1}
            value={settings.iterations}
            aria-invalid={problems.iterations !== undefined}
            onChange={(e) => configure({ iterations: Number(e.target.value) })}
          />
        )}
        <select aria-label="Backend" value={settings.backend} onChange={(e) => configure({ backend: e.target.value as typeof settings.backend })}>
          <option value="">{guest ? `${guest.backend} (loaded)` : 'loaded'}</option>
          <option value="emulated">emulated</option>
          <option value="kvm">kvm</option>
        </select>
        <select
          aria-label="Kind"
          value={kind}
          title={backend === 'emulated' ? 'Exact: every instruction counted. Sampled: where the guest was at each timer tick.' : exactOnlyEmulated}
          onChange={(e) => configure({ kind: e.target.value as typeof settings.kind })}
        >
          <option value="exact" disabled={backend !== 'emulated'}>
            exact
          </option>
          <option value="sampled">sampled</option>
        </select>
        {kind === 'sampled' && (
          <input
            aria-label="Rate (Hz)"
            type="number"
            min={1}
            max={100000}
            value={settings.rateHz}
            title="Samples a second"
            aria-invalid={problems.rateHz !== undefined}
            onChange={(e) => configure({ rateHz: Number(e.target.value) })}
          />
        )}
        <button type="submit" disabled={!guest || busy || debugging || reasons.length > 0}>
          Record
        </button>
        <button type="button" onClick={() => picker.current?.click()}>
          Import…
        </button>
        <input ref={picker} type="file" accept=".json,application/json" aria-label="CPU profile file" hidden onChange={picked} />
      </form>
      {reasons.length > 0 && (
        <p className="problem" role="alert" aria-label="Why it can't record">
          {reasons.join('; ')}
        </p>
      )}
      {backend !== 'emulated' && (
        <p className="muted" role="note">
          {exactOnlyEmulated}
        </p>
      )}
      {recording && (
        <div className="row" aria-label="CPU profile progress">
          <progress max={1} value={share} />
          <span className="muted">{progress ? `profiling: ${progress.done.toLocaleString()} calls` : 'starting…'}</span>
          <button type="button" onClick={() => void cancel()}>
            Cancel
          </button>
        </div>
      )}
    </>
  );
}
