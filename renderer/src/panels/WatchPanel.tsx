// Watch: C expressions evaluated at every stop in the selected frame, expandable like
// variables; each one's error in its place. Added below, changed by double-clicking the
// expression, removed with its ✕; kept for the next session.
import { type FormEvent, useState } from 'react';

import { useInspector } from '../state/store';
import { type WatchResult, useVariables } from '../state/variables';
import { VariableRow } from './variable_tree';
import { useVariableSource } from './VariablesPanel';

function ExpressionInput({ label, initial, onDone }: { label: string; initial: string; onDone(text: string | null): void }) {
  const [text, setText] = useState(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onDone(text);
  };
  return (
    <form onSubmit={submit} className="watch-input">
      <input
        aria-label={label}
        placeholder="expression (p->next, a[2] * 10)"
        autoFocus={initial !== ''}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && onDone(null)}
        onBlur={() => initial !== '' && onDone(null)}
      />
    </form>
  );
}

function Watch({ index, expression, result }: { index: number; expression: string; result: WatchResult | undefined }) {
  const { editWatch, removeWatch } = useVariables();
  const source = useVariableSource();
  const [editing, setEditing] = useState(false);
  const remove = (
    <button
      type="button"
      className="icon-button watch-remove"
      aria-label={`Remove watch ${expression}`}
      title="Remove"
      onClick={(e) => {
        e.stopPropagation();
        removeWatch(index);
      }}
    >
      <span className="codicon codicon-close" aria-hidden="true" />
    </button>
  );
  if (editing)
    return (
      <li role="none" className="watch">
        <ExpressionInput
          label={`Edit watch ${expression}`}
          initial={expression}
          onDone={(text) => {
            setEditing(false);
            if (text !== null) editWatch(index, text);
          }}
        />
      </li>
    );
  if (!result || 'error' in result)
    return (
      <li role="none" className="watch">
        <div
          role="treeitem"
          aria-level={1}
          aria-label={result ? `${expression}: ${result.error}` : expression}
          tabIndex={0}
          className="variable-row"
          data-expression={expression}
          onDoubleClick={() => setEditing(true)}
        >
          <span className="codicon codicon-blank twisty" aria-hidden="true" />
          <span className="variable-name">{expression}</span>
          {result && (
            <>
              <span className="muted variable-separator">: </span>
              <span className="variable-value watch-error" role="alert">
                {result.error}
              </span>
            </>
          )}
          {remove}
        </div>
      </li>
    );
  return <VariableRow variable={{ ...result.variable, name: expression }} source={source} level={1} actions={remove} onRename={() => setEditing(true)} />;
}

export function WatchPanel() {
  const { watches, watchResults, addWatch } = useVariables();
  const paused = useInspector((s) => s.debugging && s.stop?.reason !== 'exit');
  const [key, setKey] = useState(0);
  return (
    <section aria-label="Watch" className="panel watch-panel">
      <h2>Watch</h2>
      <ul role="tree" aria-label="Watch expressions" className="variable-list">
        {watches.map((expression, i) => (
          <Watch key={`${i}:${expression}`} index={i} expression={expression} result={paused ? watchResults[expression] : undefined} />
        ))}
      </ul>
      <ExpressionInput
        key={key}
        label="Add watch expression"
        initial=""
        onDone={(text) => {
          if (text) addWatch(text);
          setKey(key + 1);
        }}
      />
    </section>
  );
}
