// Debug Console: C expressions evaluated in the selected frame (↑ and ↓ go through the
// ones typed before), their values expandable and their errors as errors, among the
// logpoints' messages and the guest's output, in the order they came.
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';

import { type ConsoleLine, useConsole } from '../state/debug_console';
import { VariableRow } from './variable_tree';
import { useVariableSource } from './VariablesPanel';

function Line({ line }: { line: ConsoleLine }) {
  const source = useVariableSource();
  switch (line.kind) {
    case 'input':
      return (
        <li className="console-input">
          <span className="codicon codicon-chevron-right" aria-hidden="true" />
          <code>{line.text}</code>
        </li>
      );
    case 'result':
      return (
        <li className="console-result">
          <ul role="tree" aria-label={`Value of ${line.variable.expression}`} className="variable-list">
            <VariableRow variable={line.variable} source={{ ...source, setValue: undefined }} level={1} bare />
          </ul>
        </li>
      );
    case 'error':
      return <li className="console-error">{line.text}</li>;
    case 'log':
      return <li className="console-log">{line.text}</li>;
    case 'output':
      return <li className="console-output">{line.text}</li>;
  }
}

export function DebugConsole() {
  const { lines, history, evaluate, clear } = useConsole();
  const [text, setText] = useState('');
  // Where ↑ and ↓ are in the history: history.length is the line being typed.
  const [at, setAt] = useState<number | null>(null);
  const end = useRef<HTMLLIElement>(null);

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'nearest' });
  }, [lines]);

  const key = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      void evaluate(text);
      setText('');
      setAt(null);
      return;
    }
    const step = event.key === 'ArrowUp' ? -1 : event.key === 'ArrowDown' ? 1 : 0;
    if (!step || history.length === 0) return;
    event.preventDefault();
    const next = Math.max(0, Math.min(history.length, (at ?? history.length) + step));
    setAt(next);
    setText(next === history.length ? '' : history[next]!);
  };

  return (
    <section aria-label="Debug Console" className="panel debug-console">
      <div className="console-actions">
        <button type="button" className="icon-button" aria-label="Clear console" title="Clear console" onClick={clear}>
          <span className="codicon codicon-clear-all" aria-hidden="true" />
        </button>
      </div>
      <ol className="console-lines" role="log" aria-label="Console output">
        {lines.map((line, i) => (
          <Line key={i} line={line} />
        ))}
        <li ref={end} aria-hidden="true" className="console-end" />
      </ol>
      <div className="console-prompt">
        <span className="codicon codicon-chevron-right" aria-hidden="true" />
        <input
          aria-label="Evaluate expression"
          placeholder="a C expression in the selected frame (n + 1, p->next)"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={key}
        />
      </div>
    </section>
  );
}
