// Functions: every export with its signature; a form with one field per parameter,
// checked as you type; Call (once) and Debug (paused at its entry); the result or how the
// call failed, and what the guest printed. Trace records the call for the Call trace view;
// Profile measures its latency with the Latency view's settings; Coverage marks the lines it
// ran in the Source and Disassembly views, of this call or of a list of calls.
import { type FormEvent, useState } from 'react';

import type { WireFunction } from '../../../native/common/protocol/messages';
import { runCoverage } from '../state/coverage';
import { useLatency } from '../state/latency';
import { useInspector } from '../state/store';
import { useTrace } from '../state/trace';
import { argumentProblem } from './argument_text';
import { CallResult } from './CallResult';
import { CoverageCalls } from './CoverageCalls';

function signature(fn: WireFunction): string {
  return `${fn.returns} ${fn.name}(${fn.params.map((p) => `${p.type} ${p.name}`).join(', ')})`;
}

function CallForm({ fn }: { fn: WireFunction }) {
  const { call, debug, running, debugging, lastCall, cancelCall } = useInspector();
  const record = useTrace((state) => state.record);
  const profile = useLatency((state) => state.run);
  const [values, setValues] = useState<string[]>(() => fn.params.map((p) => (p.type === 'str' || p.type === 'bytes' ? '' : '0')));
  const [listing, setListing] = useState(false);
  const problems = fn.params.map((p, i) => argumentProblem(p.type, values[i] ?? ''));
  const valid = problems.every((p) => p === null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (valid) void call(fn.name, values);
  };
  const last = lastCall?.function === fn.name ? lastCall : null;
  const busy = running || debugging;

  return (
    <form onSubmit={submit} aria-label={`Call ${fn.name}`} className="call-form">
      {fn.params.map((param, i) => (
        <label key={param.name} className="field">
          <span>
            {param.name} <span className="muted">{param.type}</span>
          </span>
          <input
            aria-label={param.name}
            aria-invalid={problems[i] !== null}
            value={values[i]}
            onChange={(e) => setValues(values.map((v, j) => (j === i ? e.target.value : v)))}
          />
          {problems[i] && <span className="problem">{problems[i]}</span>}
        </label>
      ))}
      <div className="row wrap">
        <button type="submit" disabled={!valid || busy}>
          Call
        </button>
        <button type="button" disabled={!valid || busy} onClick={() => void debug(fn.name, values)}>
          Debug
        </button>
        <button type="button" disabled={!valid || busy} onClick={() => void record(fn.name, values)} title="Record every call it makes">
          Trace
        </button>
        <button type="button" disabled={!valid || busy} onClick={() => void profile(fn.name, values)} title="Measure its latency (the Latency tab's settings)">
          Profile
        </button>
        <button type="button" disabled={!valid || busy} onClick={() => void runCoverage(fn.name, [values])} title="Mark the lines this call runs">
          Coverage
        </button>
        {/* Its name leaves out "call": finding the Call button by its name (as the browser tests do) would find this too. */}
        <button
          type="button"
          className={listing ? 'icon-button checked' : 'icon-button'}
          aria-label="Coverage of several argument lists"
          aria-expanded={listing}
          title="Coverage of several calls: their argument lists, one a line"
          onClick={() => setListing(!listing)}
        >
          <span className="codicon codicon-list-unordered" aria-hidden="true" />
        </button>
        {running && !debugging && (
          <button type="button" onClick={() => void (useLatency.getState().running ? useLatency.getState().cancel() : cancelCall())}>
            Cancel
          </button>
        )}
      </div>
      {listing && <CoverageCalls fn={fn} args={valid ? values : null} busy={busy} />}
      {last && <CallResult record={last} canDebug={!busy} onDebug={() => void debug(fn.name, last.args)} />}
    </form>
  );
}

export function FunctionsPanel() {
  const { guest } = useInspector();
  const [selected, setSelected] = useState<string | null>(null);
  const functions = guest?.functions ?? [];
  const fn = functions.find((f) => f.name === selected) ?? functions[0];
  return (
    <section aria-label="Functions" className="panel">
      <h2>Functions</h2>
      <ul className="functions">
        {functions.map((f) => (
          <li key={f.name}>
            <button type="button" className={f === fn ? 'link selected' : 'link'} aria-pressed={f === fn} onClick={() => setSelected(f.name)}>
              <code>{signature(f)}</code>
            </button>
          </li>
        ))}
      </ul>
      {fn && <CallForm key={`${guest?.path}:${fn.name}`} fn={fn} />}
    </section>
  );
}
