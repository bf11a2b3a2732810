// @vitest-environment happy-dom
// The variables' tree: members read only when a row is expanded, arrays 100 elements at a
// time with a row for more, the values a step changed marked, a value changed in place
// with the engine's refusal under it and the old value kept, an unavailable value's reason.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import type { WireVariable } from '../../../native/common/protocol/messages';
import { type VariableSource, VariableTree } from '../../../renderer/src/panels/variable_tree';

afterEach(cleanup);

const variable = (fields: Partial<WireVariable> & { name: string }): WireVariable => ({
  value: '0',
  type: 'int',
  expression: fields.name,
  expandable: false,
  ...fields,
});

const list = variable({ name: 'list', value: '0xffffa0', type: 'struct node *', expandable: true });
const big = variable({ name: 'big', value: '{0, 1, 2...}', type: 'int [250]', expandable: true, count: 250 });
const lost = variable({ name: 'left', value: '<optimized out>', type: 'uint64_t', unavailable: 'optimized out' });

function source(fields: Partial<VariableSource> = {}) {
  const asked: string[] = [];
  const s: VariableSource = {
    version: 1,
    changed: (v) => v.expression === 'list->value',
    children: async (v, start, count) => {
      asked.push(`${v.expression} ${start ?? '-'} ${count ?? '-'}`);
      if (v.expression === 'list')
        return [
          variable({ name: 'value', expression: 'list->value', value: '1' }),
          variable({ name: 'next', expression: 'list->next', value: '0xffff80', type: 'struct node *', expandable: true }),
        ];
      return Array.from({ length: count! }, (_, i) => variable({ name: `[${start! + i}]`, expression: `big[${start! + i}]`, value: String(start! + i) }));
    },
    ...fields,
  };
  return { source: s, asked };
}

const labels = () => screen.getAllByRole('treeitem').map((item) => item.getAttribute('aria-label'));

describe('the variables tree', () => {
  it('reads members only when a row is expanded, and marks what changed', async () => {
    const { source: s, asked } = source();
    render(<VariableTree label="Arguments" variables={[list, lost]} source={s} />);
    expect(labels()).toEqual(['list: 0xffffa0', 'left: <optimized out>']);
    expect(asked).toEqual([]);
    const row = screen.getByRole('treeitem', { name: 'list: 0xffffa0' });
    expect(row.getAttribute('aria-expanded')).toBe('false');
    expect(row.querySelector('.variable-type')!.textContent).toBe('struct node *');
    await act(async () => fireEvent.click(row));
    expect(row.getAttribute('aria-expanded')).toBe('true');
    expect(asked).toEqual(['list - -']);
    expect(labels()).toEqual(['list: 0xffffa0', 'value: 1', 'next: 0xffff80', 'left: <optimized out>']);
    const value = screen.getByRole('treeitem', { name: 'value: 1' });
    expect(value.getAttribute('aria-level')).toBe('2');
    expect(value.querySelector('.variable-value')!.className).toBe('variable-value changed');
    expect(screen.getByRole('treeitem', { name: 'next: 0xffff80' }).querySelector('.variable-value')!.className).toBe('variable-value');
    // Folded with ←, and its members are gone.
    fireEvent.keyDown(row, { key: 'ArrowLeft' });
    expect(labels()).toEqual(['list: 0xffffa0', 'left: <optimized out>']);
  });

  it('says why a value is unavailable, in its tooltip', () => {
    render(<VariableTree label="Locals" variables={[lost]} source={source().source} />);
    const value = screen.getByRole('treeitem').querySelector('.variable-value')!;
    expect(value.getAttribute('title')).toBe('optimized out');
    expect(value.className).toBe('variable-value unavailable');
  });

  it('pages an array 100 elements at a time, with a row for more', async () => {
    const { source: s, asked } = source();
    render(<VariableTree label="Globals" variables={[big]} source={s} />);
    await act(async () => fireEvent.keyDown(screen.getByRole('treeitem'), { key: 'ArrowRight' }));
    expect(asked).toEqual(['big 0 100']);
    expect(screen.getAllByRole('treeitem')).toHaveLength(101);
    expect(labels().at(-1)).toBe('[99]: 99');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '100 more (100 of 250)' })));
    expect(asked).toEqual(['big 0 100', 'big 0 200']);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '50 more (200 of 250)' })));
    expect(labels().at(-1)).toBe('[249]: 249');
    expect(screen.queryByRole('button', { name: /more/ })).toBeNull();
  });

  it('changes a value in place; a refusal shows under it and the old value stays', async () => {
    const sent: string[] = [];
    const { source: s } = source({
      setValue: async (v, text) => (sent.push(`${v.expression} = ${text}`), text === 'n +' ? "'n +': column 4: an operand after '+'" : null),
    });
    const n = variable({ name: 'n', value: '2', type: 'uint32_t' });
    render(<VariableTree label="Arguments" variables={[n]} source={s} />);
    fireEvent.doubleClick(screen.getByRole('treeitem'));
    const input = screen.getByLabelText('New value of n') as HTMLInputElement;
    expect(input.value).toBe('2');
    fireEvent.change(input, { target: { value: 'n +' } });
    await act(async () => fireEvent.submit(input.form!));
    expect(screen.getByRole('alert').textContent).toBe("'n +': column 4: an operand after '+'");
    expect(input.getAttribute('aria-invalid')).toBe('true');
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(screen.queryByLabelText('New value of n')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('treeitem').getAttribute('aria-label')).toBe('n: 2');

    // Enter opens it too; a value taken closes it.
    fireEvent.keyDown(screen.getByRole('treeitem'), { key: 'Enter' });
    fireEvent.change(screen.getByLabelText('New value of n'), { target: { value: '3' } });
    await act(async () => fireEvent.submit(screen.getByLabelText('New value of n').closest('form')!));
    await waitFor(() => expect(screen.queryByLabelText('New value of n')).toBeNull());
    expect(sent).toEqual(['n = n +', 'n = 3']);
  });

  it("doesn't edit where there is no way to set a value, nor an unavailable one", () => {
    render(<VariableTree label="Locals" variables={[variable({ name: 'x' })]} source={source().source} />);
    fireEvent.doubleClick(screen.getByRole('treeitem'));
    expect(screen.queryByRole('textbox')).toBeNull();
    cleanup();
    render(<VariableTree label="Locals" variables={[lost]} source={source({ setValue: async () => null }).source} />);
    fireEvent.doubleClick(screen.getByRole('treeitem'));
    expect(screen.queryByRole('textbox')).toBeNull();
  });
});
