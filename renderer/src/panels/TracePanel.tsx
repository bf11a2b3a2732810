// Call trace: the last traced call (the Functions panel's Trace button) as a flame and
// timeline view, time across and nesting down, as DevTools' Performance panel and Perfetto
// show one: a time ruler, the engine's lead-in before the first function, guest functions
// (with their arguments), host calls and exits; zoom and pan, search, pick a call for its
// details, and export the whole trace as Chrome Trace Event JSON (Perfetto, chrome://tracing).
import './trace/trace.css';

import { type KeyboardEvent, useMemo, useRef } from 'react';

import { useTrace } from '../state/trace';
import { formatNs } from './durations';
import { FlameChart } from './trace/FlameChart';
import { indexTrace, summarize } from './trace/flame_layout';
import { TraceDetails } from './trace/TraceDetails';
import { magnification, minimumSpanNs, spanOf, wholeCall } from './trace/trace_view';

export function TracePanel() {
  const { trace, recording, view, query, matches, match, zoom, reset, search, step, exportChrome } = useTrace();
  const index = useMemo(() => (trace ? indexTrace(trace.events) : null), [trace]);
  const summary = useMemo(() => (trace ? summarize(trace.events).slice(0, 12) : []), [trace]);
  const panel = useRef<HTMLElement>(null);

  if (!trace || !index) {
    return (
      <section aria-label="Call trace" className="panel trace-panel">
        <p className="muted">{recording ? 'Recording…' : 'Trace a call from the Functions panel to see every function and host call it makes.'}</p>
      </section>
    );
  }

  const times = magnification(view, wholeCall(trace.durationNs));
  const middle = (view.startNs + view.endNs) / 2;
  const searchKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    step(event.shiftKey ? -1 : 1);
  };

  return (
    <section ref={panel} aria-label="Call trace" className="panel trace-panel">
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
        <button type="button" onClick={() => void exportChrome()}>
          Export Chrome trace
        </button>
      </div>
      <div className="row trace-tools">
        <input
          type="search"
          className="trace-search"
          aria-label="Search events"
          placeholder="Search calls (Enter: next, Shift+Enter: previous)"
          value={query}
          onChange={(event) => search(event.target.value)}
          onKeyDown={searchKey}
        />
        <output aria-label="Search matches" className="muted">
          {!query.trim()
            ? ''
            : match === null
              ? `${matches.length.toLocaleString()} ${matches.length === 1 ? 'match' : 'matches'}`
              : `${match + 1} of ${matches.length}`}
        </output>
        <button type="button" aria-label="Previous match" disabled={!matches.length} onClick={() => step(-1)}>
          ↑
        </button>
        <button type="button" aria-label="Next match" disabled={!matches.length} onClick={() => step(1)}>
          ↓
        </button>
        <span className="spacer" />
        <span className="muted" aria-label="Window shown">
          {formatNs(view.startNs)} – {formatNs(view.endNs)}
        </span>
        <button type="button" aria-label="Zoom out" onClick={() => zoom(1 / 2, middle)} disabled={times <= 1}>
          −
        </button>
        <span className="muted" aria-label="Zoom">
          {times < 10 ? Number(times.toFixed(1)) : Math.round(times).toLocaleString()}×
        </span>
        <button type="button" aria-label="Zoom in" onClick={() => zoom(2, middle)} disabled={spanOf(view) <= minimumSpanNs}>
          +
        </button>
        <button type="button" onClick={reset} disabled={times <= 1}>
          Reset
        </button>
      </div>
      <FlameChart trace={trace} index={index} keys={panel} />
      <div className="trace-details">
        <TraceDetails trace={trace} index={index} />
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
