// Source: the file of the selected frame's line, read-only C in CodeMirror, with the line the
// guest is stopped at and the selected frame's line marked, and breakpoints in the gutter
// (click to set or clear: 'FILE:LINE', shown on the line the engine resolved). Any of the
// guest's source files opens from the picker. A file the engine can't find shows where it
// looked, with the source path map to say where the files are on its machine.
import { type FormEvent, lazy, Suspense, useEffect, useMemo, useState } from 'react';

import { baseName, type PathMapping, useSource } from '../state/source';
import { useInspector } from '../state/store';
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
  const { guest, stop, frames, selectedFrame, debugging, breakpoints, toggleLineBreakpoint } = useInspector();
  const { files, shown, reveal, pathMap, listFiles, show, setCursor, setPathMap } = useSource();
  const [problem, setProblem] = useState<string | null>(null);
  const [mapping, setMapping] = useState(false);

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
    () =>
      breakpoints
        .filter((b) => b.file === file && b.line !== undefined)
        .map((b) => ({ line: b.line!, enabled: b.enabled, condition: b.condition, hits: b.hits, name: `${baseName(b.file!)}:${b.line}` })),
    [breakpoints, file],
  );

  const toggle = (line: number) => {
    if (!file) return;
    setProblem(null);
    void toggleLineBreakpoint(file, line).then(setProblem);
  };

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
      </header>
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      {(mapping || shown?.error) && <PathMapEditor pathMap={pathMap} onChange={(map) => void setPathMap(map)} />}
      {shown?.error ? (
        <div role="alert" className="source-error">
          <span className="codicon codicon-warning" aria-hidden="true" /> {shown.error}
        </div>
      ) : shown?.text !== undefined ? (
        <Suspense fallback={<p className="muted">Loading the editor…</p>}>
          <CodeView text={shown.text} marks={marks} breakpoints={marked} reveal={reveal} onToggle={toggle} onCursor={setCursor} />
        </Suspense>
      ) : shown ? (
        <p className="muted">Reading {baseName(shown.file)}…</p>
      ) : (
        <p className="muted">Debug a call to see its source, or open one of the guest&apos;s files above.</p>
      )}
    </section>
  );
}
