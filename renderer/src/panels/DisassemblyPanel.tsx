// Disassembly: the code around RIP (the function it is in), with symbols and source
// lines, a gutter to set and clear breakpoints, the current instruction marked and, kept
// in step with the Source view, the instructions of the line its cursor is on. With the
// focus here, F10 and F11 step by instruction (Toolbar.tsx). With the code overlay on, a
// column says how often each instruction ran in the CPU profile, or whether coverage saw it
// executed (and how often, where counted).
import { useEffect, useMemo, useRef } from 'react';

import { useCodeOverlay } from '../state/code_overlay';
import { useSource } from '../state/source';
import { useInspector } from '../state/store';
import { disassemblyColumn } from './overlay_marks';

export function DisassemblyPanel() {
  const { disassembly, stop, debugging, breakpoints, toggleBreakpoint, frames, selectedFrame } = useInspector();
  const cursor = useSource((state) => state.cursor);
  // The innermost frame is the stop itself: its RIP is there before the new backtrace is.
  // An ended call marks nothing.
  const current = !debugging ? undefined : selectedFrame === 0 ? stop?.rip : (frames[selectedFrame]?.rip ?? stop?.rip);
  const marked = useRef<HTMLTableRowElement>(null);
  const overlay = useCodeOverlay((state) => state.overlay);
  const column = useMemo(() => (overlay ? disassemblyColumn(overlay, disassembly) : null), [overlay, disassembly]);
  useEffect(() => {
    marked.current?.scrollIntoView({ block: 'nearest' });
  }, [current, disassembly]);

  return (
    <section aria-label="Disassembly" className="panel disassembly-panel">
      <header className="panel-header">
        <h2>Disassembly</h2>
        {overlay?.kind === 'coverage' && (
          <span className="muted overlay-note" aria-label="Coverage note">
            Coverage of {overlay.label}
            {overlay.exact ? '' : ' · KVM: lines hit, not counted (only statement starts are known)'}
          </span>
        )}
      </header>
      {disassembly.length === 0 ? (
        <p className="muted">Debug a call to see its code.</p>
      ) : (
        <div className="code-grid" tabIndex={0} title="F10 and F11 step by instruction while this has the focus">
          <table className="disassembly">
            <tbody>
              {disassembly.map((instruction, i) => {
                const isCurrent = instruction.address === current;
                const ofLine = cursor !== null && instruction.line === cursor.line && instruction.file === cursor.file;
                const breakpoint = breakpoints.find((b) => b.address === instruction.address);
                const previous = disassembly[i - 1];
                const newLine = instruction.line !== undefined && instruction.line !== previous?.line;
                const cell = column?.[i];
                const classes = [isCurrent ? 'current' : '', ofLine ? 'of-line' : ''].filter(Boolean).join(' ');
                return (
                  <tr
                    key={instruction.address}
                    ref={isCurrent ? marked : undefined}
                    aria-current={isCurrent ? 'true' : undefined}
                    data-of-line={ofLine ? 'true' : undefined}
                    className={classes || undefined}
                  >
                    <td className="gutter">
                      <button
                        type="button"
                        tabIndex={-1}
                        aria-label={`${breakpoint ? 'Clear' : 'Set'} breakpoint at ${instruction.address}`}
                        title={
                          breakpoint
                            ? `Breakpoint ${breakpoint.id}${breakpoint.enabled ? '' : ', disabled'}${breakpoint.condition ? `, if ${breakpoint.condition}` : ''}, ${breakpoint.hits} hits`
                            : 'Set a breakpoint'
                        }
                        className={breakpoint ? (breakpoint.enabled ? 'breakpoint on' : 'breakpoint disabled') : 'breakpoint'}
                        onClick={() => void toggleBreakpoint(instruction.address)}
                      >
                        {breakpoint && (
                          <span
                            className={`codicon codicon-${breakpoint.condition ? 'debug-breakpoint-conditional' : 'debug-breakpoint'}${breakpoint.enabled ? '' : '-disabled'}`}
                            aria-hidden="true"
                          />
                        )}
                      </button>
                    </td>
                    {cell && (
                      <td
                        className={cell.tone ? `count ${cell.tone}` : 'count'}
                        title={cell.title}
                        style={cell.level !== undefined ? { ['--heat-level' as string]: `${cell.level}%` } : undefined}
                        data-count={cell.count}
                      >
                        {cell.text}
                      </td>
                    )}
                    <td className="address">
                      <code>{instruction.address}</code>
                    </td>
                    <td className="symbol muted">{instruction.symbol}</td>
                    <td className="code">
                      <code>
                        {instruction.mnemonic} {instruction.operands}
                      </code>
                      {instruction.targetSymbol && <span className="muted"> &lt;{instruction.targetSymbol}&gt;</span>}
                    </td>
                    <td className="line muted">{newLine ? `${instruction.file?.split('/').pop()}:${instruction.line}` : ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
