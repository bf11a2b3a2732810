// Latency: profile a function (here or with the Functions panel's Profile button) in the
// engine's native loop, warm, restore or cold, on either backend, for a count or a
// duration; see the distribution, the percentile curve and where the time goes; keep
// several runs and overlay them with a ratio table; export PNG, JSON and CSV; import a
// profile made elsewhere (`microscope bench --out` on a KVM host).
import { useEffect, useRef } from 'react';

import { download } from '../state/download';
import { useLatency } from '../state/latency';
import { useInspector } from '../state/store';
import { formatNs } from './durations';
import { runColors, runName } from './latency/chart_data';
import { chartsToPng } from './latency/chart_png';
import { LatencyCharts } from './latency/LatencyCharts';
import { ProfileForm } from './latency/ProfileForm';
import { RatioTable } from './latency/RatioTable';
import { CpuProfileLink } from './profile/CpuProfileLink';

export function LatencyPanel() {
  const attempt = useInspector((state) => state.attempt);
  const { runs, shown, running, progress, cancel, toggle, remove, exportJson, exportCsv, exportHistogram } = useLatency();
  const charts = useRef<HTMLDivElement>(null);
  const drawn = shown.map((id) => runs.find((r) => r.id === id)).filter((r) => r !== undefined);
  const newest = runs.at(-1)?.id;

  // A run just arrived: once its charts are painted, say so (the benchmark measures this).
  useEffect(() => {
    if (newest !== undefined) requestAnimationFrame(() => performance.mark('profile-rendered'));
  }, [newest]);

  const png = () =>
    void attempt(async () => {
      if (!charts.current) return;
      const key = drawn.map((r, i) => ({ label: runName(r), color: runColors[i % runColors.length]! }));
      download('latency.png', await chartsToPng(charts.current, key));
    });
  const share = progress ? (progress.total ? progress.done / progress.total : progress.durationMs ? progress.elapsedMs / progress.durationMs : 0) : 0;

  return (
    <section aria-label="Latency" className="panel latency-panel">
      <ProfileForm />
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
                <input type="checkbox" checked={shown.includes(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} aria-label={`Show ${runName(r)}`} />
                <strong>{runName(r)}</strong>{' '}
                <span className="muted">
                  {r.profile.iterations.toLocaleString()} {r.profile.iterations === 1 ? 'call' : 'calls'}, p50 {formatNs(r.profile.summary.p50)}
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
              {r.cpuProfileId !== null && <CpuProfileLink id={r.cpuProfileId} run={r.label} />}
              {r.hasRows && (
                <button type="button" className="link" onClick={() => void exportCsv(r.id)}>
                  CSV
                </button>
              )}
              <button type="button" className="link" aria-label={`Remove ${runName(r)}`} onClick={() => remove(r.id)}>
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
