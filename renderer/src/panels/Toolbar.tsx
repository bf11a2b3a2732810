// The debug toolbar, icons with VS Code's keys: Continue F5 (Pause F6 while it runs), Step
// Over F10, Step Into F11, Step Out Shift+F11, Restart Ctrl+Shift+F5, Stop Shift+F5. As in
// VS Code, F10 and F11 step by source line, and by instruction while the Disassembly has
// the focus (or where the stop has no line); the instruction steps have buttons of their own.
// Going back in a recorded call (paused, or ended with its recording kept), the same keys
// with Alt: Reverse Continue Alt+F5, Step Back Alt+F10, Step Back Into Alt+F11, Step Back
// Out Alt+Shift+F11 (Shift+F5 is Stop's, so reverse is Alt's); Alt+F10 and Alt+F11 go back
// by instruction in the Disassembly as F10 and F11 go forward. Beside them, whether the
// next Debug records its call.
import { useEffect } from 'react';

import type { WireStop } from '../../../native/common/protocol/messages';
import { type ResumeHow, useInspector } from '../state/store';
import { type ThemeChoice, useTheme } from '../state/theme';
import { type ReverseHow, useTimeTravel, whyNoGoingBack } from '../state/time_travel';
import { faultName } from '../../../native/common/fault_names';
import { RecordToggle } from './time_travel/RecordToggle';

/** "0xffffd0" for the little-endian bytes "d0ffff00…" (up to 8 of them); longer runs as bytes. */
export function bytesValue(hexBytes: string): string {
  const bytes = hexBytes.match(/../g) ?? [];
  if (bytes.length === 0 || bytes.length > 8) return bytes.join(' ');
  return `0x${BigInt(`0x${[...bytes].reverse().join('')}`).toString(16)}`;
}

/** Why the debugged call stopped, or how it ended, in a few words. */
export function stopText(stop: WireStop): string {
  const where = `${stop.symbol}${stop.line !== undefined ? ` (${stop.file?.split('/').pop()}:${stop.line})` : ''}`;
  const vector = stop.error?.vector;
  const named = vector ? `${vector}${faultName(vector) ? ` (${faultName(vector)})` : ''}` : undefined;
  switch (stop.reason) {
    case 'entry':
      return `at the entry of ${where}`;
    case 'step':
      return `stepped to ${where}`;
    case 'breakpoint':
      return `breakpoint ${stop.breakpoint ?? ''} in ${where}`;
    case 'watchpoint': {
      const watch = stop.watch;
      if (!watch) return `watchpoint in ${where}`;
      const values = watch.access === 'read' ? `value ${bytesValue(watch.newValue)}` : `${bytesValue(watch.oldValue)} → ${bytesValue(watch.newValue)}`;
      return `watchpoint ${watch.watchpoint} in ${where}: ${watch.access} of ${watch.size} bytes at ${watch.address}, ${values}`;
    }
    case 'pause':
      return `paused in ${where}`;
    case 'fault':
      return `${named ?? 'fault'} in ${where}${stop.error?.cr2 !== undefined ? `, CR2 ${stop.error.cr2}` : ''}`;
    case 'exit':
      if (!stop.error) return `returned ${stop.value ?? ''}`;
      if (stop.error.kind === 'abort') return `ended: abort code ${stop.error.code ?? '?'}: ${stop.error.message}`;
      return `ended: ${named ?? stop.error.kind}: ${stop.error.message}`;
    case 'start':
      return `at the start of the recording, in ${where}`;
  }
}

/** Whether a step goes by instruction: the Disassembly has the focus, or there is no source line to step by. */
function byInstruction(stop: WireStop | null): boolean {
  const focused = document.activeElement;
  return Boolean(focused?.closest('section[aria-label="Disassembly"]')) || stop?.line === undefined;
}

interface Action {
  label: string;
  keys?: string;
  icon: string;
  /** A small mark on the icon: the instruction steps'. */
  badge?: string;
  /** Drawn mirrored: a step back. */
  back?: boolean;
  enabled: boolean;
  /** Why it is disabled, for its title. */
  why?: string;
  run: () => void;
}

const themes: { choice: ThemeChoice; label: string }[] = [
  { choice: 'system', label: 'System theme' },
  { choice: 'light', label: 'Light' },
  { choice: 'dark', label: 'Dark' },
];

export function Toolbar() {
  const { debugging, running, stop, debugError, resume, pause, restart, stopDebugging } = useInspector();
  const { choice, choose } = useTheme();
  const { recording, reverse } = useTimeTravel();
  const paused = debugging && !running;
  const step = (line: ResumeHow, instruction: ResumeHow) => () => void resume(byInstruction(stop) ? instruction : line);
  const noGoingBack = whyNoGoingBack(recording, running, stop);
  const back = noGoingBack === null;
  const why = noGoingBack ?? undefined;
  const stepBack = (line: ReverseHow, instruction: ReverseHow) => () => void reverse(byInstruction(stop) ? instruction : line);
  const actions: Action[] = [
    running && debugging
      ? { label: 'Pause', keys: 'F6', icon: 'debug-pause', enabled: true, run: () => void pause() }
      : { label: 'Continue', keys: 'F5', icon: 'debug-continue', enabled: paused, run: () => void resume('continue') },
    { label: 'Step Over', keys: 'F10', icon: 'debug-step-over', enabled: paused, run: step('line-over', 'over') },
    { label: 'Step Into', keys: 'F11', icon: 'debug-step-into', enabled: paused, run: step('line-into', 'step') },
    { label: 'Step Out', keys: 'Shift+F11', icon: 'debug-step-out', enabled: paused, run: () => void resume('out') },
    { label: 'Step Over Instruction', keys: 'F10 in Disassembly', icon: 'debug-step-over', badge: 'i', enabled: paused, run: () => void resume('over') },
    { label: 'Step Into Instruction', keys: 'F11 in Disassembly', icon: 'debug-step-into', badge: 'i', enabled: paused, run: () => void resume('step') },
    { label: 'Reverse Continue', keys: 'Alt+F5', icon: 'debug-reverse-continue', enabled: back, why, run: () => void reverse('continue') },
    { label: 'Step Back', keys: 'Alt+F10', icon: 'debug-step-back', enabled: back, why, run: stepBack('line-over', 'over') },
    { label: 'Step Back Into', keys: 'Alt+F11', icon: 'debug-step-into', back: true, enabled: back, why, run: stepBack('line-into', 'step') },
    { label: 'Step Back Out', keys: 'Alt+Shift+F11', icon: 'debug-step-out', back: true, enabled: back, why, run: () => void reverse('out') },
    {
      label: 'Step Back Instruction',
      keys: 'Alt+F10 in Disassembly',
      icon: 'debug-step-back',
      badge: 'i',
      enabled: back,
      why,
      run: () => void reverse('over'),
    },
    {
      label: 'Step Back Into Instruction',
      keys: 'Alt+F11 in Disassembly',
      icon: 'debug-step-into',
      back: true,
      badge: 'i',
      enabled: back,
      why,
      run: () => void reverse('step'),
    },
    { label: 'Restart', keys: 'Ctrl+Shift+F5', icon: 'debug-restart', enabled: paused, run: () => void restart() },
    { label: 'Stop', keys: 'Shift+F5', icon: 'debug-stop', enabled: debugging, run: () => void stopDebugging() },
  ];

  useEffect(() => {
    const keys: { matches: (e: KeyboardEvent) => boolean; enabled: boolean; run: () => void }[] = [
      { matches: (e) => e.key === 'F5' && e.altKey && !e.shiftKey && !e.ctrlKey, enabled: back, run: () => void reverse('continue') },
      { matches: (e) => e.key === 'F10' && e.altKey, enabled: back, run: stepBack('line-over', 'over') },
      { matches: (e) => e.key === 'F11' && e.altKey && !e.shiftKey, enabled: back, run: stepBack('line-into', 'step') },
      { matches: (e) => e.key === 'F11' && e.altKey && e.shiftKey, enabled: back, run: () => void reverse('out') },
      { matches: (e) => e.key === 'F5' && !e.altKey && !e.shiftKey && !e.ctrlKey, enabled: paused, run: () => void resume('continue') },
      { matches: (e) => e.key === 'F6', enabled: debugging && running, run: () => void pause() },
      { matches: (e) => e.key === 'F10' && !e.altKey, enabled: paused, run: step('line-over', 'over') },
      { matches: (e) => e.key === 'F11' && !e.altKey && !e.shiftKey, enabled: paused, run: step('line-into', 'step') },
      { matches: (e) => e.key === 'F11' && !e.altKey && e.shiftKey, enabled: paused, run: () => void resume('out') },
      { matches: (e) => e.key === 'F5' && e.shiftKey && e.ctrlKey, enabled: paused, run: () => void restart() },
      { matches: (e) => e.key === 'F5' && e.shiftKey && !e.ctrlKey, enabled: debugging, run: () => void stopDebugging() },
    ];
    const onKey = (event: KeyboardEvent) => {
      const key = keys.find((k) => k.matches(event));
      if (!key) return;
      event.preventDefault();
      if (key.enabled) key.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <nav className="toolbar" aria-label="Debug toolbar">
      <div className="debug-actions">
        {actions.map((action) => (
          <button
            key={action.label}
            type="button"
            className="icon-button"
            disabled={!action.enabled}
            onClick={action.run}
            aria-label={action.label}
            title={`${action.keys ? `${action.label} (${action.keys})` : action.label}${!action.enabled && action.why ? `: ${action.why}` : ''}`}
          >
            <span className={`codicon codicon-${action.icon}${action.back ? ' backwards' : ''}`} aria-hidden="true" />
            {action.badge && (
              <span className="icon-badge" aria-hidden="true">
                {action.badge}
              </span>
            )}
          </button>
        ))}
      </div>
      <RecordToggle />
      <span className="status" role="status" aria-label="Debugger state">
        {running ? 'Running…' : debugging ? 'Paused' : ''}
      </span>
      <span className="reason" aria-label="Stop reason">
        {stop && !running && (debugging || stop.reason === 'exit') ? stopText(stop) : ''}
      </span>
      {debugError && (
        <span className="problem" role="alert" aria-label="Debugger error">
          {debugError}
        </span>
      )}
      <span className="spacer" />
      <label className="theme-switch" title="Light or dark (System: as the system is)">
        <span className="codicon codicon-color-mode" aria-hidden="true" />
        <select aria-label="Theme" value={choice} onChange={(e) => choose(e.target.value as ThemeChoice)}>
          {themes.map((t) => (
            <option key={t.choice} value={t.choice}>
              {t.label}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}
