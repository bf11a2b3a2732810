// Breakpoints: every breakpoint and watchpoint of the session, each switchable on and
// off, with its condition and hit count; add one at a location (address, symbol or
// file:line) with an optional condition ("rdi == 3").
import { type FormEvent, type ReactNode, useState } from 'react';

import { useInspector } from '../state/store';

export function BreakpointsPanel() {
  const { guest, breakpoints, watchpoints, addBreakpoint, removeBreakpoint, enableBreakpoint, removeWatchpoint, enableWatchpoint } = useInspector();
  const [location, setLocation] = useState('');
  const [condition, setCondition] = useState('');

  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!location.trim()) return;
    void addBreakpoint(location.trim(), condition.trim() || undefined).then(() => {
      setLocation('');
      setCondition('');
    });
  };

  return (
    <section aria-label="Breakpoints" className="panel">
      <h2>Breakpoints</h2>
      <form onSubmit={add} className="row">
        <input
          aria-label="Breakpoint location"
          placeholder="fib, 0x1010, demo.c:14"
          value={location}
          onChange={(e) => setLocation(e.target.value)}
          disabled={!guest}
        />
        <input aria-label="Condition" placeholder="condition (rdi == 3)" value={condition} onChange={(e) => setCondition(e.target.value)} disabled={!guest} />
        <button type="submit" disabled={!guest || !location.trim()}>
          Add
        </button>
      </form>
      {breakpoints.length + watchpoints.length === 0 ? (
        <p className="muted">None. Click the gutter of the disassembly, or select bytes in memory to watch them.</p>
      ) : (
        <ul className="points">
          {breakpoints.map((b) => (
            <PointRow
              key={`b${b.id}`}
              name={`breakpoint ${b.location}`}
              enabled={b.enabled}
              hits={b.hits}
              onEnable={(enabled) => void enableBreakpoint(b.id, enabled)}
              onRemove={() => void removeBreakpoint(b.id)}
            >
              <span className="breakpoint-dot">●</span> <code>{b.location}</code>
              {b.location !== b.address && <span className="muted"> {b.address}</span>}
              {b.condition && (
                <span>
                  {' '}
                  if <code>{b.condition}</code>
                </span>
              )}
            </PointRow>
          ))}
          {watchpoints.map((w) => (
            <PointRow
              key={`w${w.id}`}
              name={`watchpoint ${w.address}`}
              enabled={w.enabled}
              hits={w.hits}
              onEnable={(enabled) => void enableWatchpoint(w.id, enabled)}
              onRemove={() => void removeWatchpoint(w.id)}
            >
              <span className="watch-mark">◆</span> {w.kind} <code>{w.address}</code> <span className="muted">{w.length} bytes</span>
            </PointRow>
          ))}
        </ul>
      )}
    </section>
  );
}

/** One breakpoint or watchpoint: its switch, what it is, its hits, and its remove button. */
function PointRow(props: { name: string; enabled: boolean; hits: number; onEnable(enabled: boolean): void; onRemove(): void; children: ReactNode }) {
  const label = props.name[0]!.toUpperCase() + props.name.slice(1);
  return (
    <li>
      <label>
        <input type="checkbox" checked={props.enabled} onChange={(e) => props.onEnable(e.target.checked)} aria-label={`${label} enabled`} />
        {props.children}
      </label>
      <span className="muted hits">{props.hits} hits</span>
      <button type="button" className="link" aria-label={`Remove ${props.name}`} onClick={props.onRemove}>
        ✕
      </button>
    </li>
  );
}
