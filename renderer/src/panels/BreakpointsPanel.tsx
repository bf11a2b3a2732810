// Breakpoints: every breakpoint and watchpoint of the session, each switchable on and
// off, with its condition, hit condition, log message and hit count, each edited in place;
// add one at a location (address, symbol or file:line) with an optional condition
// ("rdi == 3"). Each is named where it is in the user's words: `demo.c:14` for a line,
// `fib+0xb` for an address in a function.
import { type FormEvent, type ReactNode, useState } from 'react';

import type { WireBreakpoint } from '../../../native/common/protocol/messages';
import { baseName } from '../state/source';
import { useInspector } from '../state/store';
import { BreakpointEditor, breakpointIcon, breakpointTerms } from './BreakpointEditor';

/** `demo.c:14` for a line breakpoint (the line the engine resolved), `fib+0xb` for an address; a symbol as given. */
export function breakpointName(b: WireBreakpoint): string {
  if (/:\d+$/.test(b.location) && b.file !== undefined && b.line !== undefined) return `${baseName(b.file)}:${b.line}`;
  if (/^0x[0-9a-f]+$/i.test(b.location.trim())) return b.symbol ?? b.address;
  return b.location;
}

/** Where else it is, beside its name: its function and offset, its line, its address. */
function whereElse(b: WireBreakpoint, name: string): string {
  const line = b.file !== undefined && b.line !== undefined ? `${baseName(b.file)}:${b.line}` : undefined;
  return [b.symbol, line, b.address].filter((part) => part !== undefined && part !== name).join(' · ');
}

export function BreakpointsPanel() {
  const { guest, breakpoints, watchpoints, addBreakpoint, editBreakpoint, removeBreakpoint, enableBreakpoint, removeWatchpoint, enableWatchpoint } =
    useInspector();
  const [editing, setEditing] = useState<number | null>(null);
  const [location, setLocation] = useState('');
  const [condition, setCondition] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!location.trim()) return;
    void addBreakpoint(location.trim(), { condition }).then((refused) => {
      setProblem(refused);
      if (refused) return;
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
      {problem && (
        <p className="problem" role="alert" aria-label="Breakpoint problem">
          {problem}
        </p>
      )}
      {breakpoints.length + watchpoints.length === 0 ? (
        <p className="muted">None. Click the gutter of the source or the disassembly, or select bytes in memory to watch them.</p>
      ) : (
        <ul className="points">
          {breakpoints.map((b) => {
            const name = breakpointName(b);
            return (
              <PointRow
                key={`b${b.id}`}
                name={`breakpoint ${name}`}
                enabled={b.enabled}
                hits={b.hits}
                onEnable={(enabled) => void enableBreakpoint(b.id, enabled)}
                onRemove={() => void removeBreakpoint(b.id)}
                onEdit={() => setEditing(editing === b.id ? null : b.id)}
                editor={
                  editing === b.id && (
                    <BreakpointEditor name={name} initial={b} onSave={(options) => editBreakpoint(b.id, options)} onClose={() => setEditing(null)} />
                  )
                }
              >
                <span className={`codicon ${breakpointIcon(b)} breakpoint-dot`} aria-hidden="true" />{' '}
                <code className="point-name" title={`as given: ${b.location}`}>
                  {name}
                </code>
                <span className="muted"> {whereElse(b, name)}</span>
                {breakpointTerms(b).map((term) => (
                  <span key={term} className="breakpoint-term">
                    {' '}
                    <code>{term}</code>
                  </span>
                ))}
              </PointRow>
            );
          })}
          {watchpoints.map((w) => (
            <PointRow
              key={`w${w.id}`}
              name={`watchpoint ${w.address}`}
              enabled={w.enabled}
              hits={w.hits}
              onEnable={(enabled) => void enableWatchpoint(w.id, enabled)}
              onRemove={() => void removeWatchpoint(w.id)}
            >
              <span className="codicon codicon-debug-breakpoint-data watch-mark" aria-hidden="true" /> {w.kind} <code>{w.address}</code>{' '}
              <span className="muted">{w.length} bytes</span>
            </PointRow>
          ))}
        </ul>
      )}
    </section>
  );
}

/** One breakpoint or watchpoint: its switch, what it is, its hits, and its remove button. */
function PointRow(props: {
  name: string;
  enabled: boolean;
  hits: number;
  onEnable(enabled: boolean): void;
  onRemove(): void;
  onEdit?(): void;
  editor?: ReactNode;
  children: ReactNode;
}) {
  const label = props.name[0]!.toUpperCase() + props.name.slice(1);
  return (
    <li className={props.editor ? 'editing' : undefined}>
      <label>
        <input type="checkbox" checked={props.enabled} onChange={(e) => props.onEnable(e.target.checked)} aria-label={`${label} enabled`} />
        {props.children}
      </label>
      <span className="muted hits">{props.hits} hits</span>
      {props.onEdit && (
        <button
          type="button"
          className="icon-button"
          aria-label={`Edit ${props.name}`}
          title="Edit condition, hit count and log message"
          onClick={props.onEdit}
        >
          <span className="codicon codicon-edit" aria-hidden="true" />
        </button>
      )}
      <button type="button" className="icon-button" aria-label={`Remove ${props.name}`} title="Remove" onClick={props.onRemove}>
        <span className="codicon codicon-close" aria-hidden="true" />
      </button>
      {props.editor}
    </li>
  );
}
