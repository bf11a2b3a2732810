// A tree of variables as VS Code's Variables view draws one: `name: value` with the type
// dim beside it, a chevron for what has members (read when first expanded, arrays 100
// elements at a time), the values the last step changed marked, and a value changed in
// place (double-click or Enter; the engine's refusal shows under it, the old value stays).
import { type FormEvent, type KeyboardEvent, type ReactNode, useEffect, useState } from 'react';

import type { WireVariable } from '../../../native/common/protocol/messages';

/** Elements of an array read at a time. */
export const pageSize = 100;

/** Where a tree's rows get their members, their marks and their new values. */
export interface VariableSource {
  children(variable: WireVariable, start?: number, count?: number): Promise<WireVariable[]>;
  changed(variable: WireVariable): boolean;
  /** Why it wasn't set, or null when it was; none: the values can't be changed. */
  setValue?(variable: WireVariable, value: string): Promise<string | null>;
  /** Changes with every stop: expanded rows read their members again. */
  version: number;
  /** Buttons at the end of each row and its members' (the Variables panel's "where was this written?"). */
  actions?(variable: WireVariable): ReactNode;
}

interface RowProps {
  variable: WireVariable;
  source: VariableSource;
  level: number;
  /** Hide the name (a console result is its value). */
  bare?: boolean;
  /** Buttons at the row's end (a watch's remove). */
  actions?: ReactNode;
  /** Double-clicking the name renames it (a watch's expression) rather than changing its value. */
  onRename?(): void;
}

export function VariableRow({ variable, source, level, bare, actions, onRename }: RowProps) {
  const [expanded, setExpanded] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const canEdit = source.setValue !== undefined && variable.unavailable === undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (editing === null || !source.setValue) return;
    const refused = await source.setValue(variable, editing);
    setProblem(refused);
    if (!refused) setEditing(null);
  };
  const key = (event: KeyboardEvent) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter' && canEdit) setEditing(variable.value);
    else if (event.key === 'ArrowRight' && variable.expandable) setExpanded(true);
    else if (event.key === 'ArrowLeft') setExpanded(false);
    else return;
    event.preventDefault();
  };
  const changed = source.changed(variable);

  return (
    <li role="none">
      <div
        role="treeitem"
        aria-level={level}
        aria-expanded={variable.expandable ? expanded : undefined}
        aria-label={bare ? variable.value : `${variable.name}: ${variable.value}`}
        tabIndex={0}
        className="variable-row"
        data-expression={variable.expression}
        style={{ paddingLeft: `${(level - 1) * 12 + 2}px` }}
        onClick={() => variable.expandable && setExpanded(!expanded)}
        onDoubleClick={(e) => {
          if (onRename && (e.target as HTMLElement).classList.contains('variable-name')) onRename();
          else if (canEdit) setEditing(variable.value);
        }}
        onKeyDown={key}
      >
        <span
          className={`codicon codicon-chevron-${expanded ? 'down' : 'right'} twisty`}
          style={variable.expandable ? undefined : { visibility: 'hidden' }}
          aria-hidden="true"
        />
        {!bare && (
          <>
            <span className="variable-name">{variable.name}</span>
            <span className="muted variable-separator">: </span>
          </>
        )}
        {editing === null ? (
          <span
            className={`variable-value${changed ? ' changed' : ''}${variable.unavailable ? ' unavailable' : ''}`}
            data-changed={changed || undefined}
            title={variable.unavailable ?? `${variable.type}${canEdit ? ' (double-click to change)' : ''}`}
          >
            {variable.value}
          </span>
        ) : (
          <form className="variable-edit" onSubmit={(e) => void submit(e)} onClick={(e) => e.stopPropagation()}>
            <input
              aria-label={`New value of ${variable.expression}`}
              aria-invalid={problem !== null}
              autoFocus
              value={editing}
              onChange={(e) => {
                setEditing(e.target.value);
                setProblem(null);
              }}
              onKeyDown={(e) => {
                if (e.key !== 'Escape') return;
                setEditing(null);
                setProblem(null);
              }}
            />
          </form>
        )}
        <span className="variable-type">{variable.type}</span>
        {actions ?? source.actions?.(variable)}
      </div>
      {problem && (
        <p className="problem variable-problem" role="alert" style={{ paddingLeft: `${level * 12 + 6}px` }}>
          {problem}
        </p>
      )}
      {expanded && <Members variable={variable} source={source} level={level + 1} />}
    </li>
  );
}

/** A variable's members, read when shown and again at each stop; an array's a page at a time. */
function Members({ variable, source, level }: { variable: WireVariable; source: VariableSource; level: number }) {
  const paged = variable.count !== undefined;
  const [wanted, setWanted] = useState(paged ? Math.min(pageSize, variable.count!) : 0);
  const [members, setMembers] = useState<WireVariable[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { version } = source;

  useEffect(() => {
    let current = true;
    const read = paged ? source.children(variable, 0, Math.max(wanted, 1)) : source.children(variable);
    read.then(
      (list) => current && (setMembers(list), setProblem(null)),
      (error: unknown) => current && setProblem(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      current = false;
    };
    // The members are read again for a new stop (version) or a page more, not for each new object.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [variable.expression, version, wanted, paged]);

  if (problem)
    return (
      <p className="problem variable-problem" role="alert" style={{ paddingLeft: `${level * 12}px` }}>
        {problem}
      </p>
    );
  if (!members) return null;
  const left = paged ? variable.count! - members.length : 0;
  return (
    <ul role="group" className="variable-list">
      {members.map((member) => (
        <VariableRow key={member.expression} variable={member} source={source} level={level} />
      ))}
      {left > 0 && (
        <li role="none">
          <button
            type="button"
            className="link more-row"
            style={{ paddingLeft: `${(level - 1) * 12 + 20}px` }}
            onClick={() => setWanted(Math.min(variable.count!, members.length + pageSize))}
          >
            {`${Math.min(left, pageSize)} more (${members.length} of ${variable.count})`}
          </button>
        </li>
      )}
    </ul>
  );
}

/** The rows of a scope or a list of values, as one tree. */
export function VariableTree({ label, variables, source }: { label: string; variables: WireVariable[]; source: VariableSource }) {
  return (
    <ul role="tree" aria-label={label} className="variable-list">
      {variables.map((v) => (
        <VariableRow key={v.expression} variable={v} source={source} level={1} />
      ))}
    </ul>
  );
}
