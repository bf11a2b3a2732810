// Source: the file of the selected frame's line, read-only C in CodeMirror, with the line the
// guest is stopped at and the selected frame's line marked, and breakpoints in the gutter
// (click to set or clear: 'FILE:LINE', shown on the line the engine resolved; right-click
// to make one conditional or a logpoint, or edit it), and the value of what the mouse is
// over while the call is paused. Any of the
// guest's source files opens from the picker. A file the engine can't find shows where it
// looked, with the source path map to say where the files are on its machine. With the
// code overlay on, a CPU profile's counts are in a heat gutter, or coverage marks each line
// with code executed or not, summed up above the text.
import { type FormEvent, lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';

import type { WireVariable } from '../../../native/common/protocol/messages';
import { useCodeOverlay } from '../state/code_overlay';
import { baseName, type PathMapping, useSource } from '../state/source';
import { type BreakpointOptions, useInspector } from '../state/store';
import { BreakpointEditor } from './BreakpointEditor';
import { BreakpointMenu, type MenuChoice } from './BreakpointMenu';
import { CoverageSummary } from './CoverageSummary';
import { sourceMarks } from './overlay_marks';
import type { BreakpointMark, LineMarks } from './source_editor';

// CodeMirror loads with the first file shown: the window starts without it.
const CodeView = lazy(() => import('./SourceCode').then((module) => ({ default: module.CodeView })));

function PathMapEditor({ pathMap, onChange }: { pathMap: PathMapping[]; onChange(map: PathMapping[]): void }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!from.trim() || !to.trim()) return;
    onChange([...pathMap, { from: from.trim(), to: to.trim() }]);
    setFrom('');
    setTo('');
  };
  return (
    <form className="path-map" aria-label="Source path map" onSubmit={add}>
      <p className="muted">
        Where the guest&apos;s sources are on the engine&apos;s machine: a path that starts with <em>from</em> is read under <em>to</em> instead.
      </p>
      {pathMap.length > 0 && (
        <ul className="mappings">
          {pathMap.map((m, i) => (
            <li key={`${m.from}→${m.to}`}>
              <code>{m.from}</code> → <code>{m.to}</code>
              <button type="button" className="icon-button" aria-label={`Remove mapping ${m.from}`} onClick={() => onChange(pathMap.filter((_, j) => j !== i))}>
                <span className="codicon codicon-close" aria-hidden="true" />
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <input aria-label="Map from" placeholder="from: /build/src" value={from} onChange={(e) => setFrom(e.target.value)} />
        <input aria-label="Map to" placeholder="to: /home/me/src" value={to} onChange={(e) => setTo(e.target.value)} />
        <button type="submit" disabled={!from.trim() || !to.trim()}>
          Add mapping
        </button>
      </div>
    </form>
  );
}

export function SourcePanel() {
  const {
    guest,
    stop,
    frames,
    selectedFrame,
    debugging,
    running,
    breakpoints,
    toggleLineBreakpoint,
    addBreakpoint,
    editBreakpoint,
    enableBreakpoint,
    removeBreakpoint,
  } = useInspector();
  const { files, shown, reveal, pathMap, listFiles, show, setCursor, setPathMap } = useSource();
  const [problem, setProblem] = useState<string | null>(null);
  const [mapping, setMapping] = useState(false);
  const [menu, setMenu] = useState<{ line: number; x: number; y: number } | null>(null);
  const closeMenu = useCallback(() => setMenu(null), []);
  const [editing, setEditing] = useState<{ line: number; initial: BreakpointOptions } | null>(null);
  const { overlay, clear: clearOverlay } = useCodeOverlay();

  useEffect(() => {
    void listFiles();
  }, [guest, listFiles]);

  // The selected frame's line (the stop's, for the innermost frame) opens with each stop.
  const frame = selectedFrame === 0 ? stop : frames[selectedFrame];
  useEffect(() => {
    if (debugging && frame?.file !== undefined && frame.line !== undefined) void show(frame.file, frame.line);
  }, [debugging, frame, show]);

  const file = shown?.file;
  const marks = useMemo<LineMarks>(() => {
    const outer = selectedFrame > 0 ? frames[selectedFrame] : undefined;
    return {
      ...(debugging && stop?.file === file && stop?.line !== undefined ? { current: stop.line } : {}),
      ...(debugging && outer?.file === file && outer?.line !== undefined ? { frame: outer.line } : {}),
    };
  }, [debugging, stop, frames, selectedFrame, file]);
  const marked = useMemo<BreakpointMark[]>(
    () => breakpoints.filter((b) => b.file === file && b.line !== undefined).map((b) => ({ ...b, line: b.line!, name: `${baseName(b.file!)}:${b.line}` })),
    [breakpoints, file],
  );

  const overlaid = useMemo(() => sourceMarks(overlay, file), [overlay, file]);

  const toggle = (line: number) => {
    if (!file) return;
    setProblem(null);
    void toggleLineBreakpoint(file, line).then(setProblem);
  };
  const at = (line: number) => breakpoints.find((b) => b.file === file && b.line === line);
  const choose = (line: number, choice: MenuChoice) => {
    const existing = at(line);
    setProblem(null);
    if (choice === 'add') toggle(line);
    else if (choice === 'add-conditional') setEditing({ line, initial: {} });
    else if (choice === 'add-logpoint') setEditing({ line, initial: { logMessage: '' } });
    else if (existing && choice === 'edit') setEditing({ line, initial: existing });
    else if (existing && choice === 'toggle-enabled') void enableBreakpoint(existing.id, !existing.enabled);
    else if (existing && choice === 'remove') void removeBreakpoint(existing.id);
  };
  const save = (line: number, options: BreakpointOptions) => {
    const existing = at(line);
    return existing ? editBreakpoint(existing.id, options) : addBreakpoint(`${file}:${line}`, options);
  };
  // Values only while paused, in the frame the Stack selected; a name it doesn't know shows nothing.
  const paused = debugging && !running && stop?.reason !== 'exit';
  const evaluate = useCallback(
    async (expression: string): Promise<WireVariable | null> => {
      const { client } = useInspector.getState();
      if (!paused || !client) return null;
      return client.request('variables.evaluate', { expression, frame: selectedFrame }).catch(() => null);
    },
    [paused, selectedFrame],
  );

  return (
    <section aria-label="Source" className="panel source-panel">
      <header className="panel-header">
        <h2>Source</h2>
        <select
          aria-label="Source file"
          className="file-picker"
          value={file ?? ''}
          onChange={(e) => e.target.value && void show(e.target.value)}
          disabled={files.length === 0}
          title={shown?.path ? `Read from ${shown.path}` : 'Open one of the guest’s source files'}
        >
          <option value="" disabled>
            {files.length ? 'Open a source file…' : 'No source files'}
          </option>
          {files.map((f) => (
            <option key={f.file} value={f.file}>
              {baseName(f.file)} — {f.file.slice(0, -baseName(f.file).length - 1) || '/'}
            </option>
          ))}
        </select>
        <button
          type="button"
          className={mapping ? 'icon-button checked' : 'icon-button'}
          aria-label="Source path map"
          aria-expanded={mapping}
          title="Source path map: where the guest's sources are on the engine's machine"
          onClick={() => setMapping(!mapping)}
        >
          <span className="codicon codicon-folder-opened" aria-hidden="true" />
        </button>
        {overlay?.kind === 'profile' && (
          <button
            type="button"
            className="icon-button checked"
            aria-label="Hide profile counts"
            title={`Counts of ${overlay.label}: click to hide them`}
            onClick={clearOverlay}
          >
            <span className="codicon codicon-flame" aria-hidden="true" />
          </button>
        )}
      </header>
      {overlay?.kind === 'coverage' && <CoverageSummary overlay={overlay} file={file} />}
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      {editing && file && (
        <BreakpointEditor
          key={editing.line}
          name={`${baseName(file)}:${editing.line}`}
          initial={editing.initial}
          onSave={(options) => save(editing.line, options)}
          onClose={() => setEditing(null)}
        />
      )}
      {menu && <BreakpointMenu breakpoint={at(menu.line)} x={menu.x} y={menu.y} onChoose={(choice) => choose(menu.line, choice)} onClose={closeMenu} />}
      {(mapping || shown?.error) && <PathMapEditor pathMap={pathMap} onChange={(map) => void setPathMap(map)} />}
      {shown?.error ? (
        <div role="alert" className="source-error">
          <span className="codicon codicon-warning" aria-hidden="true" /> {shown.error}
        </div>
      ) : shown?.text !== undefined ? (
        <Suspense fallback={<p className="muted">Loading the editor…</p>}>
          <CodeView
            text={shown.text}
            marks={marks}
            breakpoints={marked}
            overlay={overlaid}
            reveal={reveal}
            onToggle={toggle}
            onCursor={setCursor}
            onMenu={(line, x, y) => setMenu({ line, x, y })}
            onEvaluate={evaluate}
          />
        </Suspense>
      ) : shown ? (
        <p className="muted">Reading {baseName(shown.file)}…</p>
      ) : (
        <p className="muted">Debug a call to see its source, or open one of the guest&apos;s files above.</p>
      )}
    </section>
  );
}
