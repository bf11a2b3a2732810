// The Source view's overlay gutter: the code overlay's marks on the lines of the file shown
// (state/code_overlay.ts). A CPU profile's self count on each line that ran, the line's
// background as warm as its share of the file's hottest line; or coverage's executed line
// (green, with its count or "hit") and not executed line (red). Lines without a mark stay plain.
import { type EditorState, type Extension, type Range, RangeSet, StateEffect, StateField } from '@codemirror/state';
import { Decoration, type DecorationSet, EditorView, GutterMarker, gutter } from '@codemirror/view';

import type { OverlayLine } from './overlay_marks';

export const setOverlayLines = StateEffect.define<readonly OverlayLine[]>();

class OverlayMarker extends GutterMarker {
  constructor(readonly mark: OverlayLine) {
    super();
  }
  override eq(other: OverlayMarker) {
    const [a, b] = [this.mark, other.mark];
    return a.line === b.line && a.tone === b.tone && a.count === b.count && a.text === b.text && a.words === b.words;
  }
  override toDOM() {
    const { line, tone, count, text, words } = this.mark;
    const element = document.createElement('span');
    element.className = tone === 'hot' ? 'heat-count' : `coverage-mark ${tone}`;
    element.textContent = text;
    element.title = `${tone === 'hot' ? 'Self' : 'Coverage'}: ${words}`;
    element.setAttribute('aria-label', `line ${line}: ${words}`);
    element.dataset.line = String(line);
    element.dataset.count = String(count);
    return element;
  }
}

interface Marks {
  lines: readonly OverlayLine[];
  gutter: RangeSet<GutterMarker>;
  decorations: DecorationSet;
}

function lineDecoration(mark: OverlayLine, hottest: number): Decoration {
  if (mark.tone !== 'hot') return Decoration.line({ class: `cm-${mark.tone}-line`, attributes: { 'data-coverage-line': String(mark.line) } });
  return Decoration.line({
    class: 'cm-heat-line',
    // The level is a share of the hottest line: the CSS turns it into a background.
    attributes: { style: `--heat-level: ${Math.round((100 * mark.count) / hottest)}%`, 'data-heat-line': String(mark.line) },
  });
}

function build(state: EditorState, lines: readonly OverlayLine[]): Marks {
  const doc = state.doc;
  const shown = lines.filter((m) => m.line >= 1 && m.line <= doc.lines).sort((a, b) => a.line - b.line);
  const hottest = shown.reduce((most, m) => (m.tone === 'hot' ? Math.max(most, m.count) : most), 1);
  const markers: Range<GutterMarker>[] = shown.map((m) => new OverlayMarker(m).range(doc.line(m.line).from));
  const decorations = shown.map((m) => lineDecoration(m, hottest).range(doc.line(m.line).from));
  return { lines, gutter: RangeSet.of(markers), decorations: Decoration.set(decorations) };
}

const marks = StateField.define<Marks>({
  create: (state) => build(state, []),
  update(value, transaction) {
    let lines = value.lines;
    for (const effect of transaction.effects) if (effect.is(setOverlayLines)) lines = effect.value;
    return lines === value.lines ? value : build(transaction.state, lines);
  },
  provide: (field) => EditorView.decorations.from(field, (value) => value.decorations),
});

/** The overlay gutter, empty (and narrow) until the overlay's lines are set. */
export function overlayGutter(): Extension[] {
  return [marks, gutter({ class: 'cm-overlay-gutter', markers: (view) => view.state.field(marks).gutter })];
}
