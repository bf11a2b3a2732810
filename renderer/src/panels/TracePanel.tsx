// Call trace: the last traced call (the Functions panel's Trace button) as a flame and
// timeline view, time across and nesting down: guest functions, host calls and exits,
// each with its duration; zoom in to see short calls, pick one for its details, and
// export the whole trace as Chrome Trace Event JSON (Perfetto, chrome://tracing).
import { useMemo, useState } from 'react';

import { useTrace } from '../state/trace';
import { formatNs } from './durations';
import { layoutFlame, summarize } from './flame_layout';

const rowHeight = 20;
const baseWidth = 800;

export function TracePanel() {
  const { trace, recording, picked, pick, exportChrome } = useTrace();
  const [zoom, setZoom] = useState(1);
  const width = baseWidth * zoom;
  const layout = useMemo(() => (trace ? layoutFlame(trace.events, trace.durationNs, width) : null), [trace, width]);
  const summary = useMemo(() => (trace ? summarize(trace.events).slice(0, 12) : []), [trace]);

  if (!trace) {
    return (
      <section aria-label="Call trace" className="panel trace-panel">
        <p className="muted">{recording ? 'Recording…' : 'Trace a call from the Functions panel to see every function and host call it makes.'}</p>
      </section>
    );
  }

  return (
    <section aria-label="Call trace" className="panel trace-panel">
      <div className="row">
        <strong>{trace.call}</strong>
        <span aria-label="Trace outcome">
          {trace.ok ? (
            <>→ {trace.value}</>
          ) : (
            <span className="problem">
              {trace.error?.vector ?? trace.error?.kind}: {trace.error?.message}
            </span>
          )}
        </span>
        <span className="muted">
          {formatNs(trace.durationNs)} on {trace.backend}, {trace.eventCount.toLocaleString()} events
          {trace.truncated && ' (truncated)'}
        </span>
        <span className="spacer" />
        <button type="button" aria-label="Zoom out" onClick={() => setZoom(Math.max(1, zoom / 2))} disabled={zoom <= 1}>
          −
        </button>
        <span className="muted">{zoom}×</span>
        <button type="button" aria-label="Zoom in" onClick={() => setZoom(Math.min(4096, zoom * 2))}>
          +
        </button>
        <button type="button" onClick={() => void exportChrome()}>
          Export Chrome trace
        </button>
      </div>
      <div className="flame" role="group" aria-label="Flame chart">
        <div style={{ width, height: (layout?.rows ?? 1) * rowHeight, position: 'relative' }}>
          {layout?.bars.map((bar) => (
            <div
              key={bar.index}
              role="button"
              tabIndex={-1}
              className={`bar ${bar.event.kind}${picked === bar.event ? ' picked' : ''}`}
              style={{ left: bar.x, width: bar.width, top: bar.row * rowHeight }}
              title={`${bar.event.name} ${formatNs(bar.event.durationNs)}`}
              aria-label={`${bar.event.kind} ${bar.event.name}, ${formatNs(bar.event.durationNs)}`}
              onClick={() => pick(bar.event)}
            >
              {bar.width > 30 ? bar.event.name : ''}
            </div>
          ))}
        </div>
      </div>
      {layout && layout.hidden > 0 && <p className="muted">{layout.hidden.toLocaleString()} events too short to draw at this zoom.</p>}
      <div className="trace-details">
        {picked && (
          <dl className="facts" aria-label="Picked event">
            <dt>{picked.kind}</dt>
            <dd>
              <code>{picked.name}</code> {picked.detail && <span className="muted">{picked.detail}</span>}
            </dd>
            <dt>Start</dt>
            <dd>{formatNs(picked.startNs)}</dd>
            <dt>Duration</dt>
            <dd>{formatNs(picked.durationNs)}</dd>
          </dl>
        )}
        <table className="trace-summary" aria-label="Time by function">
          <thead>
            <tr>
              <th>Function</th>
              <th>Calls</th>
              <th>Self time</th>
            </tr>
          </thead>
          <tbody>
            {summary.map((s) => (
              <tr key={`${s.kind}:${s.name}`}>
                <td>
                  <code>{s.name}</code> {s.kind === 'host' && <span className="muted">host</span>}
                </td>
                <td>{s.calls.toLocaleString()}</td>
                <td>{formatNs(s.selfNs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
