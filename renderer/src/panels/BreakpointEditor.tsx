// A breakpoint's condition, hit condition and log message, edited as VS Code's breakpoint
// widget does: a C expression to stop on (`n == 2`), the hits to stop at (`3`: from the
// third on; `== 3`, `>= 3`, `% 2`), a message that makes it a logpoint (`fib({n})`, logged
// instead of stopping). The engine's refusal shows in the form, which stays open.
import { type FormEvent, useState } from 'react';

import type { BreakpointOptions } from '../state/store';

interface EditorProps {
  /** "demo.c:14", what it is said to be of. */
  name: string;
  initial: BreakpointOptions;
  /** Why it was refused, or null when it was done. */
  onSave(options: BreakpointOptions): Promise<string | null>;
  onClose(): void;
}

export function BreakpointEditor({ name, initial, onSave, onClose }: EditorProps) {
  const [condition, setCondition] = useState(initial.condition ?? '');
  const [hitCondition, setHitCondition] = useState(initial.hitCondition ?? '');
  const [logMessage, setLogMessage] = useState(initial.logMessage ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const refused = await onSave({ condition, hitCondition, logMessage });
    if (refused) setProblem(refused);
    else onClose();
  };
  return (
    <form
      className="breakpoint-editor"
      aria-label={`Edit breakpoint ${name}`}
      onSubmit={(e) => void save(e)}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <label>
        <span>Condition</span>
        <input
          aria-label="Breakpoint condition"
          placeholder="stop when it is true: n == 2"
          value={condition}
          onChange={(e) => setCondition(e.target.value)}
          autoFocus
        />
      </label>
      <label>
        <span>Hit count</span>
        <input
          aria-label="Hit condition"
          placeholder="3 (from the third hit on), == 3, >= 3, % 2"
          value={hitCondition}
          onChange={(e) => setHitCondition(e.target.value)}
        />
      </label>
      <label>
        <span>Log message</span>
        <input aria-label="Log message" placeholder="log instead of stopping: fib({n})" value={logMessage} onChange={(e) => setLogMessage(e.target.value)} />
      </label>
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      <div className="row">
        <button type="submit">Save</button>
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The breakpoint's mark, as VS Code draws it: a diamond for a logpoint, a dot with a bar for a condition. */
export function breakpointIcon(b: { enabled: boolean; condition: string; hitCondition: string; logMessage: string }): string {
  const kind = b.logMessage ? 'debug-breakpoint-log' : b.condition || b.hitCondition ? 'debug-breakpoint-conditional' : 'debug-breakpoint';
  return `codicon-${kind}${b.enabled ? '' : '-disabled'}`;
}

/** What it does beyond stopping, in words: "if n == 2, hit count >= 3, logs fib({n})". */
export function breakpointTerms(b: { condition: string; hitCondition: string; logMessage: string }): string[] {
  return [
    ...(b.condition ? [`if ${b.condition}`] : []),
    ...(b.hitCondition ? [`hit count ${/^\d+$/.test(b.hitCondition.trim()) ? `>= ${b.hitCondition.trim()}` : b.hitCondition}`] : []),
    ...(b.logMessage ? [`logs ${b.logMessage}`] : []),
  ];
}
