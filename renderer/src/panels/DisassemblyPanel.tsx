// Disassembly: the code around RIP (the function it is in), with symbols and source
// lines, a gutter to set and clear breakpoints, and the current instruction marked.
import { useEffect, useRef } from 'react';

import { useInspector } from '../state/store';

export function DisassemblyPanel() {
  const { disassembly, stop, breakpoints, toggleBreakpoint, frames, selectedFrame } = useInspector();
  // The innermost frame is the stop itself: its RIP is there before the new backtrace is.
  const current = selectedFrame === 0 ? stop?.rip : (frames[selectedFrame]?.rip ?? stop?.rip);
  const marked = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    marked.current?.scrollIntoView({ block: 'nearest' });
  }, [current, disassembly]);

  return (
    <section aria-label="Disassembly" className="panel">
      <h2>Disassembly</h2>
      {disassembly.length === 0 ? (
        <p className="muted">Debug a call to see its code.</p>
      ) : (
        <table className="disassembly">
          <tbody>
            {disassembly.map((instruction, i) => {
              const isCurrent = instruction.address === current;
              const breakpoint = breakpoints.find((b) => b.address === instruction.address);
              const previous = disassembly[i - 1];
              const newLine = instruction.line !== undefined && instruction.line !== previous?.line;
              return (
                <tr
                  key={instruction.address}
                  ref={isCurrent ? marked : undefined}
                  aria-current={isCurrent ? 'true' : undefined}
                  className={isCurrent ? 'current' : undefined}
                >
                  <td className="gutter">
                    <button
                      type="button"
                      aria-label={`${breakpoint ? 'Clear' : 'Set'} breakpoint at ${instruction.address}`}
                      className={breakpoint ? (breakpoint.enabled ? 'breakpoint on' : 'breakpoint disabled') : 'breakpoint'}
                      onClick={() => void toggleBreakpoint(instruction.address)}
                    >
                      {breakpoint ? '●' : ''}
                    </button>
                  </td>
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
      )}
    </section>
  );
}
