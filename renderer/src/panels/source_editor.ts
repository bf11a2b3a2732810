// The Source view's CodeMirror 6 editor: read-only C with highlighting, the line where the
// guest stopped and the selected frame's line marked, breakpoints in a gutter (clicked to
// set or clear, right-clicked for their menu), values under the mouse, the code overlay's
// marks: a CPU profile's counts or coverage (source_overlay.ts). CodeMirror draws only the
// lines in sight, so sqlite3.c's 250,000 lines cost what a screenful does. Colours are the
// theme's CSS variables (styles.css), so the editor follows light and dark with the rest
// of the window.
import { cpp } from '@codemirror/lang-cpp';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState, type Extension, type Range, RangeSet, StateEffect, StateField } from '@codemirror/state';
import { Decoration, type DecorationSet, EditorView, GutterMarker, gutter, highlightActiveLine, lineNumbers } from '@codemirror/view';
import { tags } from '@lezer/highlight';

import type { WireVariable } from '../../../native/common/protocol/messages';
import { breakpointIcon, breakpointTerms } from './BreakpointEditor';
import { overlayGutter } from './source_overlay';
import { variableHover } from './source_hover';

/** The lines to mark: where the guest is stopped, and the selected (outer) frame's. */
export interface LineMarks {
  current?: number;
  frame?: number;
}

/** A breakpoint as the gutter shows it, on the line the engine resolved it to. */
export interface BreakpointMark {
  line: number;
  enabled: boolean;
  condition: string;
  hitCondition: string;
  logMessage: string;
  hits: number;
  /** "demo.c:14", for its tooltip. */
  name: string;
}

export const setLineMarks = StateEffect.define<LineMarks>();
export const setBreakpointMarks = StateEffect.define<readonly BreakpointMark[]>();

export interface SourceHandlers {
  /** The gutter was clicked at `line`. */
  toggle(line: number): void;
  /** The cursor moved to `line`. */
  cursor(line: number): void;
  /** The gutter was right-clicked at `line`, at (x, y) in the window. */
  menu(line: number, x: number, y: number): void;
  /** The value of a C expression under the mouse; null: nothing to show. */
  evaluate(expression: string): Promise<WireVariable | null>;
}

class BreakpointMarker extends GutterMarker {
  constructor(readonly mark: BreakpointMark) {
    super();
  }
  override eq(other: BreakpointMarker) {
    const [a, b] = [this.mark, other.mark];
    return (
      a.line === b.line &&
      a.enabled === b.enabled &&
      a.condition === b.condition &&
      a.hitCondition === b.hitCondition &&
      a.logMessage === b.logMessage &&
      a.hits === b.hits &&
      a.name === b.name
    );
  }
  override toDOM() {
    const { enabled, logMessage, hits, name } = this.mark;
    const element = document.createElement('span');
    element.className = `codicon ${breakpointIcon(this.mark)} breakpoint-marker${enabled ? '' : ' disabled'}`;
    const what = logMessage ? 'Logpoint' : 'Breakpoint';
    const words = [`${what} at ${name}`, ...(enabled ? [] : ['disabled']), ...breakpointTerms(this.mark), `${hits} ${hits === 1 ? 'hit' : 'hits'}`].join(', ');
    element.title = `${words} (click to clear, right-click to edit)`;
    element.setAttribute('aria-label', words);
    element.dataset.line = String(this.mark.line);
    return element;
  }
}

/** VS Code's arrow: the line the guest is stopped at (focused) or the selected frame's. */
class FrameMarker extends GutterMarker {
  constructor(readonly current: boolean) {
    super();
  }
  override eq(other: FrameMarker) {
    return this.current === other.current;
  }
  override toDOM() {
    const element = document.createElement('span');
    element.className = `codicon codicon-${this.current ? 'debug-stackframe' : 'debug-stackframe-focused'} ${this.current ? 'stop-marker' : 'frame-marker'}`;
    element.setAttribute('aria-hidden', 'true');
    return element;
  }
}

class Spacer extends GutterMarker {
  override toDOM() {
    const element = document.createElement('span');
    element.className = 'codicon codicon-debug-breakpoint';
    element.style.visibility = 'hidden';
    return element;
  }
}

interface Marks {
  lines: LineMarks;
  breakpoints: readonly BreakpointMark[];
  gutter: RangeSet<GutterMarker>;
  decorations: DecorationSet;
}

// The marks as gutter markers and line decorations, for the lines the document has.
function build(state: EditorState, lines: LineMarks, breakpoints: readonly BreakpointMark[]): Marks {
  const doc = state.doc;
  const start = (line: number | undefined) => (line !== undefined && line >= 1 && line <= doc.lines ? doc.line(line).from : undefined);
  const markers: Range<GutterMarker>[] = breakpoints.flatMap((b) => (start(b.line) === undefined ? [] : [new BreakpointMarker(b).range(start(b.line)!)]));
  const decorations = [];
  const current = start(lines.current);
  const frame = start(lines.frame);
  if (frame !== undefined) {
    markers.push(new FrameMarker(false).range(frame));
    decorations.push(Decoration.line({ class: 'cm-frame-line', attributes: { 'data-marked': 'frame', 'data-line': String(lines.frame) } }).range(frame));
  }
  if (current !== undefined) {
    markers.push(new FrameMarker(true).range(current));
    const attributes = { 'data-marked': 'current', 'data-line': String(lines.current), 'aria-current': 'true' };
    decorations.push(Decoration.line({ class: 'cm-current-line', attributes }).range(current));
  }
  return { lines, breakpoints, gutter: RangeSet.of(markers, true), decorations: Decoration.set(decorations, true) };
}

const marks = StateField.define<Marks>({
  create: (state) => build(state, {}, []),
  update(value, transaction) {
    let { lines, breakpoints } = value;
    for (const effect of transaction.effects) {
      if (effect.is(setLineMarks)) lines = effect.value;
      if (effect.is(setBreakpointMarks)) breakpoints = effect.value;
    }
    return lines === value.lines && breakpoints === value.breakpoints ? value : build(transaction.state, lines, breakpoints);
  },
  provide: (field) => EditorView.decorations.from(field, (value) => value.decorations),
});

// C as VS Code's default themes colour it, through CSS variables of both themes.
const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.modifier, tags.controlKeyword, tags.operatorKeyword], color: 'var(--syntax-keyword)' },
  { tag: [tags.typeName, tags.standard(tags.typeName)], color: 'var(--syntax-type)' },
  { tag: [tags.string, tags.character], color: 'var(--syntax-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--syntax-number)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--syntax-comment)', fontStyle: 'italic' },
  { tag: [tags.processingInstruction, tags.meta], color: 'var(--syntax-macro)' },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: 'var(--syntax-function)' },
  { tag: [tags.macroName], color: 'var(--syntax-macro)' },
]);

const theme = EditorView.theme({
  '&': { height: '100%', backgroundColor: 'var(--editor-bg)', color: 'var(--fg)', fontSize: '12px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '18px' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-gutters': { backgroundColor: 'var(--editor-bg)', color: 'var(--muted)', border: 'none' },
  '.cm-lineNumbers .cm-gutterElement': { padding: '0 8px 0 4px', cursor: 'pointer' },
  '.cm-breakpoint-gutter .cm-gutterElement': { cursor: 'pointer', width: '18px', display: 'flex', alignItems: 'center', justifyContent: 'center' },
  '.cm-activeLine': { backgroundColor: 'var(--active-line)' },
  '.cm-selectionBackground, &.cm-focused .cm-selectionBackground': { backgroundColor: 'var(--selection) !important' },
  '&.cm-focused': { outline: 'none' },
  '.cm-current-line': { backgroundColor: 'var(--current)' },
  '.cm-frame-line': { backgroundColor: 'var(--frame-line)' },
});

/** Everything the Source view's editor has; `handlers` answer its clicks and cursor moves. */
export function sourceExtensions(handlers: SourceHandlers): Extension[] {
  // The left button sets or clears; the right one opens the breakpoint's menu.
  const gutterEvents = {
    mousedown: (view: EditorView, block: { from: number }, event: Event) => {
      if ((event as MouseEvent).button !== 0) return false;
      handlers.toggle(view.state.doc.lineAt(block.from).number);
      return true;
    },
    contextmenu: (view: EditorView, block: { from: number }, event: Event) => {
      const mouse = event as MouseEvent;
      mouse.preventDefault();
      handlers.menu(view.state.doc.lineAt(block.from).number, mouse.clientX, mouse.clientY);
      return true;
    },
  };
  return [
    EditorState.readOnly.of(true),
    marks,
    gutter({
      class: 'cm-breakpoint-gutter',
      markers: (view) => view.state.field(marks).gutter,
      initialSpacer: () => new Spacer(),
      domEventHandlers: gutterEvents,
    }),
    lineNumbers({ domEventHandlers: gutterEvents }),
    overlayGutter(),
    highlightActiveLine(),
    cpp(),
    syntaxHighlighting(highlight),
    theme,
    variableHover((expression) => handlers.evaluate(expression)),
    EditorView.contentAttributes.of({ 'aria-label': 'Source text' }),
    EditorView.updateListener.of((update) => {
      if (update.selectionSet || update.docChanged) handlers.cursor(update.state.doc.lineAt(update.state.selection.main.head).number);
    }),
  ];
}

/** Puts the cursor on `line` and scrolls it to the middle, unless it is in sight already. */
export function revealLine(view: EditorView, line: number): void {
  const doc = view.state.doc;
  const at = doc.line(Math.max(1, Math.min(doc.lines, line))).from;
  // The viewport CodeMirror draws reaches past the screen: in sight is what the scroller shows.
  const block = view.lineBlockAt(at);
  const { scrollTop, clientHeight } = view.scrollDOM;
  const inSight = clientHeight > 0 && block.top >= scrollTop && block.bottom <= scrollTop + clientHeight;
  view.dispatch({ selection: { anchor: at }, effects: inSight ? [] : [EditorView.scrollIntoView(at, { y: 'center' })] });
}
