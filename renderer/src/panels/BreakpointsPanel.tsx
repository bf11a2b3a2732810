// Breakpoints: every breakpoint and watchpoint of the session, each switchable on and
// off, with its condition and hit count; add one at a location (address, symbol or
// file:line) with an optional condition ("rdi == 3").
import { type FormEvent, useState } from 'react';

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
            <li key={`b${b.id}`}>
              <label>
                <input
                  type="checkbox"
                  checked={b.enabled}
                  onChange={(e) => void enableBreakpoint(b.id, e.target.checked)}
                  aria-label={`Breakpoint ${b.location} enabled`}
                />
                <span className="breakpoint-dot">●</span> <code>{b.location}</code>
                {b.location !== b.address && <span className="muted"> {b.address}</span>}
                {b.condition && (
                  <span>
                    {' '}
                    if <code>{b.condition}</code>
                  </span>
                )}
              </label>
              <span className="muted hits">{b.hits} hits</span>
              <button type="button" className="link" aria-label={`Remove breakpoint ${b.location}`} onClick={() => void removeBreakpoint(b.id)}>
                ✕
              </button>
            </li>
          ))}
          {watchpoints.map((w) => (
            <li key={`w${w.id}`}>
              <label>
                <input
                  type="checkbox"
                  checked={w.enabled}
                  onChange={(e) => void enableWatchpoint(w.id, e.target.checked)}
                  aria-label={`Watchpoint ${w.address} enabled`}
                />
                <span className="watch-mark">◆</span> {w.kind} <code>{w.address}</code> <span className="muted">{w.length} bytes</span>
              </label>
              <span className="muted hits">{w.hits} hits</span>
              <button type="button" className="link" aria-label={`Remove watchpoint ${w.address}`} onClick={() => void removeWatchpoint(w.id)}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
