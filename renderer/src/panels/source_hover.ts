// Hovering a name in the Source view while the call is paused: the C expression that ends
// at the word under the mouse (`p->next` over `next` in `p->next->value`, `a[i]` over the
// `]`), evaluated in the selected frame, its value and type in a tooltip. Keywords, numbers
// and names the frame doesn't know show nothing.
import { type Extension } from '@codemirror/state';
import { hoverTooltip } from '@codemirror/view';

import type { WireVariable } from '../../../native/common/protocol/messages';

const keywords = new Set(
  (
    'auto break case char const continue default do double else enum extern float for goto if inline int long register restrict return short ' +
    'signed sizeof static struct switch typedef union unsigned void volatile while _Bool bool true false NULL ' +
    'int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t size_t'
  ).split(' '),
);

const isWord = (c: string | undefined) => c !== undefined && /[\w$]/.test(c);

/** Where the expression ending at `at` (an index into `line`) starts, or -1: an identifier
 * with the members, subscripts and dereferences before it. */
function expressionStart(line: string, end: number): number {
  let i = end;
  for (;;) {
    // One operand back: an identifier, or a subscript's brackets and what they follow.
    if (line[i - 1] === ']') {
      let depth = 0;
      let j = i - 1;
      for (; j >= 0; j--) {
        if (line[j] === ']') depth++;
        else if (line[j] === '[' && --depth === 0) break;
      }
      if (j < 0) return -1;
      i = j;
      continue;
    }
    let j = i;
    while (isWord(line[j - 1])) j--;
    if (j === i || /\d/.test(line[j]!)) return i === end ? -1 : i;
    i = j;
    if (line.slice(0, i).endsWith('->')) i -= 2;
    else if (line[i - 1] === '.') i -= 1;
    else return i;
  }
}

/** The C expression ending at the word (or the `]`) at `column` of `line`, with where it is; null: none there. */
export function expressionAt(line: string, column: number): { from: number; to: number; expression: string } | null {
  let to: number;
  if (isWord(line[column])) {
    to = column;
    while (isWord(line[to])) to++;
    let from = column;
    while (isWord(line[from - 1])) from--;
    const word = line.slice(from, to);
    if (keywords.has(word) || /^\d/.test(word)) return null;
    if (line[to] === '(' || line.slice(to).trimStart().startsWith('(')) return null; // a call
  } else if (line[column] === ']') to = column + 1;
  else return null;
  const from = expressionStart(line, to);
  if (from < 0) return null;
  return { from, to, expression: line.slice(from, to) };
}

/** The hover tooltip; `evaluate` answers null when nothing is paused or the frame knows no such name. */
export function variableHover(evaluate: (expression: string) => Promise<WireVariable | null>): Extension {
  return hoverTooltip(async (view, pos) => {
    const line = view.state.doc.lineAt(pos);
    const found = expressionAt(line.text, pos - line.from);
    if (!found) return null;
    const variable = await evaluate(found.expression);
    if (!variable) return null;
    return {
      pos: line.from + found.from,
      end: line.from + found.to,
      above: true,
      create: () => {
        const dom = document.createElement('div');
        dom.className = 'variable-hover';
        dom.setAttribute('role', 'tooltip');
        const name = dom.appendChild(document.createElement('code'));
        name.className = 'variable-name';
        name.textContent = found.expression;
        dom.append(' = ');
        const value = dom.appendChild(document.createElement('code'));
        value.className = 'variable-value';
        value.textContent = variable.value;
        if (variable.unavailable) value.title = variable.unavailable;
        const type = dom.appendChild(document.createElement('span'));
        type.className = 'variable-type';
        type.textContent = variable.type;
        return { dom };
      },
    };
  });
}
