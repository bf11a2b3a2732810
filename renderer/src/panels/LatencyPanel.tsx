// Latency: profile a function (here or with the Functions panel's Profile button) in the
// engine's native loop, warm, restore or cold, on either backend, for a count or a
// duration; see the distribution, the percentile curve and where the time goes; keep
// several runs and overlay them with a ratio table; export PNG, JSON and CSV; import a
// profile made elsewhere (`microscope bench --out` on a KVM host).
import { type ChangeEvent, type FormEvent, useEffect, useRef } from 'react';

import { download } from '../state/download';
import { useLatency } from '../state/latency';
import { useInspector } from '../state/store';
import { formatNs } from './durations';
import { runColors } from './latency/chart_data';
import { chartsToPng } from './latency/chart_png';
import { LatencyCharts } from './latency/LatencyCharts';
import { RatioTable } from './latency/RatioTable';

export function LatencyPanel() {
  const { guest, debugging, running: busy, attempt } = useInspector();
  const { runs, shown, settings, running, progress, configure, run, cancel, importFile, toggle, remove, exportJson, exportCsv, exportHistogram } = useLatency();
  const functions = guest?.functions ?? [];
  const fn = functions.some((f) => f.name === settings.function) ? settings.function : (functions[0]?.name ?? '');
  const charts = useRef<HTMLDivElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const drawn = shown.map((id) => runs.find((r) => r.id === id)).filter((r) => r !== undefined);
  const newest = runs.at(-1)?.id;

  // A run just arrived: once its charts are painted, say so (the benchmark measures this).
  useEffect(() => {
    if (newest !== undefined) requestAnimationFrame(() => performance.mark('profile-rendered'));
  }, [newest]);

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
  const png = () =>
    void attempt(async () => {
      if (!charts.current) return;
      const key = drawn.map((r, i) => ({ label: r.label, color: runColors[i % runColors.length]! }));
      download('latency.png', await chartsToPng(charts.current, key));
    });
  const share = progress ? (progress.total ? progress.done / progress.total : progress.durationMs ? progress.elapsedMs / progress.durationMs : 0) : 0;

  return (
    <section aria-label="Latency" className="panel latency-panel">
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
            onChange={(e) => configure({ seconds: Number(e.target.value) })}
          />
        ) : (
          <CountInput label="Calls" min={1} value={settings.iterations} onChange={(iterations) => configure({ iterations })} />
        )}
        <CountInput
          label="Warm-up calls"
          min={0}
          value={settings.warmup}
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
        <button type="submit" disabled={!guest || busy || debugging}>
          Profile
        </button>
        <button type="button" onClick={() => picker.current?.click()}>
          Import…
        </button>
        <input ref={picker} type="file" accept=".json,application/json" aria-label="Profile file" hidden onChange={picked} />
      </form>
      {running && (
        <div className="row" aria-label="Profile progress">
          <progress max={1} value={share} />
          <span className="muted">
            {progress ? `${progress.stage === 'warmup' ? 'warming up' : 'measuring'}: ${progress.done.toLocaleString()} calls` : 'starting…'}
          </span>
          <button type="button" onClick={() => void cancel()}>
            Cancel
          </button>
        </div>
      )}
      {runs.length > 0 && (
        <ul className="runs" aria-label="Runs">
          {runs.map((r) => (
            <li key={r.id}>
              <label>
                <input type="checkbox" checked={shown.includes(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} aria-label={`Show ${r.label}`} />
                <strong>{r.label}</strong>{' '}
                <span className="muted">
                  {r.profile.iterations.toLocaleString()} calls, p50 {formatNs(r.profile.summary.p50)}
                  {r.profile.warmup && `, after ${r.profile.warmupIterations.toLocaleString()} warm-up calls (p50 ${formatNs(r.profile.warmup.p50)})`}
                  {r.profile.cancelled && ', cancelled'}
                  {r.imported && `, imported (${r.profile.machine.host})`}
                </span>
              </label>
              <button type="button" className="link" onClick={() => exportJson(r.id)}>
                JSON
              </button>
              <button
                type="button"
                className="link"
                title="The HdrHistogram, compressed and base64-encoded, as other HdrHistogram tools read it"
                onClick={() => exportHistogram(r.id)}
              >
                HISTF
              </button>
              {r.hasRows && (
                <button type="button" className="link" onClick={() => void exportCsv(r.id)}>
                  CSV
                </button>
              )}
              <button type="button" className="link" aria-label={`Remove ${r.label}`} onClick={() => remove(r.id)}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      {drawn.length > 0 ? (
        <>
          <div className="row">
            <span className="spacer" />
            <button type="button" onClick={png}>
              Export PNG
            </button>
          </div>
          <div ref={charts}>
            <LatencyCharts runs={drawn} />
          </div>
          <RatioTable runs={drawn} />
        </>
      ) : (
        !running && <p className="muted">Profile a function, or import a profile, to see its latency.</p>
      )}
    </section>
  );
}

/** A whole number of calls, at least `min`. */
function CountInput(props: { label: string; min: number; value: number; onChange(value: number): void; title?: string }) {
  return (
    <input
      aria-label={props.label}
      type="number"
      min={props.min}
      value={props.value}
      title={props.title}
      onChange={(e) => props.onChange(Math.max(props.min, Math.round(Number(e.target.value))))}
    />
  );
}
