// Functions: every export with its signature; a form with one field per parameter,
// checked as you type; Call (once) and Debug (paused at its entry); the result or how the
// call failed, and what the guest printed. Trace records the call for the Call trace view;
// Profile measures its latency with the Latency view's settings.
import { type FormEvent, useState } from 'react';

import type { WireFunction } from '../../../native/common/protocol/messages';
import { useInspector } from '../state/store';
import { CallResult } from './CallResult';
import { useLatency } from '../state/latency';
import { useTrace } from '../state/trace';

const integer = /^-?(0x[0-9a-f]+|[0-9]+)$/i;

/** Why `text` can't be an argument of `type`, or null when it can. */
export function argumentProblem(type: string, text: string): string | null {
  switch (type) {
    case 'i32':
    case 'u32':
    case 'i64':
    case 'u64': {
      if (!integer.test(text.trim())) return `${type}: a decimal or 0x-hex integer`;
      const value = BigInt(text.trim().replace(/^-/, '')) * (text.trim().startsWith('-') ? -1n : 1n);
      const bits = type.endsWith('32') ? 32n : 64n;
      const [min, max] = type.startsWith('u') ? [0n, 2n ** bits - 1n] : [-(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n];
      return value < min || value > max ? `${type}: out of range (${min} to ${max})` : null;
    }
    case 'f64':
      return text.trim() !== '' && Number.isFinite(Number(text)) ? null : 'f64: a number';
    case 'bool':
      return text === 'true' || text === 'false' ? null : 'bool: true or false';
    case 'bytes':
      return /^([0-9a-f]{2})*$/i.test(text) ? null : 'bytes: hex, two digits a byte';
    default:
      return null;
  }
}

function signature(fn: WireFunction): string {
  return `${fn.returns} ${fn.name}(${fn.params.map((p) => `${p.type} ${p.name}`).join(', ')})`;
}

function CallForm({ fn }: { fn: WireFunction }) {
  const { call, debug, running, debugging, lastCall, cancelCall } = useInspector();
  const record = useTrace((state) => state.record);
  const profile = useLatency((state) => state.run);
  const [values, setValues] = useState<string[]>(() => fn.params.map((p) => (p.type === 'str' || p.type === 'bytes' ? '' : '0')));
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
      <div className="row">
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
        {running && !debugging && (
          <button type="button" onClick={() => void (useLatency.getState().running ? useLatency.getState().cancel() : cancelCall())}>
            Cancel
          </button>
        )}
      </div>
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
