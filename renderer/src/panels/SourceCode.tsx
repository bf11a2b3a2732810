// The Source view's CodeMirror view as a React component: made once; a new text is a new
// editor state, marks and reveals are transactions on it (source_editor.ts has the rest).
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';

import type { WireVariable } from '../../../native/common/protocol/messages';

import { type BreakpointMark, type LineMarks, revealLine, setBreakpointMarks, setLineMarks, sourceExtensions } from './source_editor';
import type { OverlayLine } from './overlay_marks';
import { setOverlayLines } from './source_overlay';

export interface CodeViewProps {
  text: string;
  marks: LineMarks;
  breakpoints: BreakpointMark[];
  /** The code overlay's marks on this file's lines (a profile's counts, coverage); none: no overlay gutter. */
  overlay: readonly OverlayLine[];
  reveal: { line: number; serial: number } | null;
  onToggle(line: number): void;
  onCursor(line: number): void;
  onMenu(line: number, x: number, y: number): void;
  onEvaluate(expression: string): Promise<WireVariable | null>;
}

export function CodeView({ text, marks, breakpoints, overlay, reveal, onToggle, onCursor, onMenu, onEvaluate }: CodeViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const extensions = useRef<Extension[]>([]);
  const handlers = useRef({ toggle: onToggle, cursor: onCursor, menu: onMenu, evaluate: onEvaluate });
  useEffect(() => {
    handlers.current = { toggle: onToggle, cursor: onCursor, menu: onMenu, evaluate: onEvaluate };
  });

  useEffect(() => {
    extensions.current = sourceExtensions({
      toggle: (line) => handlers.current.toggle(line),
      cursor: (line) => handlers.current.cursor(line),
      menu: (line, x, y) => handlers.current.menu(line, x, y),
      evaluate: (expression) => handlers.current.evaluate(expression),
    });
    const editor = new EditorView({ parent: host.current! });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, []);
  useEffect(() => {
    view.current?.setState(EditorState.create({ doc: text, extensions: extensions.current }));
  }, [text]);
  useEffect(() => {
    view.current?.dispatch({ effects: [setLineMarks.of(marks), setBreakpointMarks.of(breakpoints)] });
  }, [text, marks, breakpoints]);
  useEffect(() => {
    view.current?.dispatch({ effects: setOverlayLines.of(overlay) });
  }, [text, overlay]);
  useEffect(() => {
    if (reveal && view.current) revealLine(view.current, reveal.line);
  }, [text, reveal]);

  return <div ref={host} className="code-view" />;
}
