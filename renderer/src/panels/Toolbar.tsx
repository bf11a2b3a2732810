// The debug toolbar, with VS Code's keys: Continue F5, Pause F6, Step Over F10, Step Into
// F11, Step Out Shift+F11, Restart Ctrl+Shift+F5, Stop Shift+F5.
import { useEffect } from 'react';

import type { WireStop } from '../../../native/common/protocol/messages';
import { useInspector } from '../state/store';

/** Why the debugged call stopped, or how it ended, in a few words. */
export function stopText(stop: WireStop): string {
  const where = `${stop.symbol}${stop.line !== undefined ? ` (${stop.file?.split('/').pop()}:${stop.line})` : ''}`;
  switch (stop.reason) {
    case 'entry':
      return `at the entry of ${where}`;
    case 'step':
      return `stepped to ${where}`;
    case 'breakpoint':
      return `breakpoint ${stop.breakpoint ?? ''} in ${where}`;
    case 'watchpoint':
      return `watchpoint in ${where}`;
    case 'pause':
      return `paused in ${where}`;
    case 'fault':
      return `${stop.error?.vector ?? 'fault'} in ${where}${stop.error?.cr2 !== undefined ? `, CR2 ${stop.error.cr2}` : ''}`;
    case 'exit':
      return stop.error ? `ended: ${stop.error.vector ?? stop.error.kind}: ${stop.error.message}` : `returned ${stop.value ?? ''}`;
  }
}

interface Action {
  label: string;
  keys: string;
  enabled: boolean;
  run: () => void;
  matches: (event: KeyboardEvent) => boolean;
}

export function Toolbar() {
  const { debugging, running, stop, resume, pause, restart, stopDebugging } = useInspector();
  const paused = debugging && !running;
  const actions: Action[] = [
    { label: 'Continue', keys: 'F5', enabled: paused, run: () => void resume('continue'), matches: (e) => e.key === 'F5' && !e.shiftKey && !e.ctrlKey },
    { label: 'Pause', keys: 'F6', enabled: debugging && running, run: () => void pause(), matches: (e) => e.key === 'F6' },
    { label: 'Step Over', keys: 'F10', enabled: paused, run: () => void resume('over'), matches: (e) => e.key === 'F10' },
    { label: 'Step Into', keys: 'F11', enabled: paused, run: () => void resume('step'), matches: (e) => e.key === 'F11' && !e.shiftKey },
    { label: 'Step Out', keys: 'Shift+F11', enabled: paused, run: () => void resume('out'), matches: (e) => e.key === 'F11' && e.shiftKey },
    { label: 'Restart', keys: 'Ctrl+Shift+F5', enabled: paused, run: () => void restart(), matches: (e) => e.key === 'F5' && e.shiftKey && e.ctrlKey },
    { label: 'Stop', keys: 'Shift+F5', enabled: debugging, run: () => void stopDebugging(), matches: (e) => e.key === 'F5' && e.shiftKey && !e.ctrlKey },
  ];

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = actions.find((a) => a.matches(event));
      if (!action) return;
      event.preventDefault();
      if (action.enabled) action.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <nav className="toolbar" aria-label="Debug toolbar">
      {actions.map((action) => (
        <button key={action.label} type="button" disabled={!action.enabled} onClick={action.run} title={`${action.label} (${action.keys})`}>
          {action.label}
        </button>
      ))}
      <span className="status" role="status" aria-label="Debugger state">
        {running ? 'Running…' : debugging ? 'Paused' : ''}
      </span>
      <span className="muted reason" aria-label="Stop reason">
        {stop && !running && (debugging || stop.reason === 'exit') ? stopText(stop) : ''}
      </span>
    </nav>
  );
}
