// The expression a hover in the Source view evaluates: the C expression that ends at the
// word under the mouse, with its members, subscripts and dereferences; nothing for
// keywords, numbers and calls.
import { describe, expect, it } from 'vitest';

import { expressionAt } from '../../../renderer/src/panels/source_hover';

const at = (line: string, marker: string, offset = 0) => expressionAt(line, line.indexOf(marker) + offset)?.expression ?? null;

describe('the expression under the mouse', () => {
  it('is the name, or the member chain up to the hovered member', () => {
    const line = '  total = p->next->value + shape.corners[1].x;';
    expect(at(line, 'total')).toBe('total');
    expect(at(line, 'total', 3)).toBe('total');
    expect(at(line, 'p->')).toBe('p');
    expect(at(line, 'next')).toBe('p->next');
    expect(at(line, 'value', 4)).toBe('p->next->value');
    expect(at(line, 'shape')).toBe('shape');
    expect(at(line, 'corners')).toBe('shape.corners');
    expect(at(line, '.x', 1)).toBe('shape.corners[1].x');
  });

  it("is a subscript's element over its bracket, and the index alone over the index", () => {
    const line = 'sum += a[i] + m[r][c];';
    expect(at(line, 'a[')).toBe('a');
    expect(at(line, 'i]')).toBe('i');
    expect(at(line, ']')).toBe('a[i]');
    expect(at(line, '][')).toBe('m[r]');
    expect(at(line, 'c]', 1)).toBe('m[r][c]');
  });

  it('is where it is on the line', () => {
    expect(expressionAt('  if (n < 2) return n;', 6)).toEqual({ from: 6, to: 7, expression: 'n' });
    expect(expressionAt('x = p->next;', 8)).toEqual({ from: 4, to: 11, expression: 'p->next' });
  });

  it('is nothing over a keyword, a number, a call, an operator or a space', () => {
    const line = '  if (n < 2) return fib(n - 1) + 42;';
    expect(at(line, 'if')).toBeNull();
    expect(at(line, 'return')).toBeNull();
    expect(at(line, '2)')).toBeNull();
    expect(at(line, '42')).toBeNull();
    expect(at(line, 'fib')).toBeNull();
    expect(at(line, '<')).toBeNull();
    expect(at(line, ' (n')).toBeNull();
    expect(at('uint64_t left = 0;', 'uint64_t')).toBeNull();
  });
});
