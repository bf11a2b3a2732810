// @vitest-environment happy-dom
// Top functions: the most self first; a header sorts by its column, again the other way,
// numbers the most first and names A to Z; a name opens the function.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { ProfileTable, sortRows } from '../../../../renderer/src/panels/profile/ProfileTable';
import { type FunctionRow, topFunctions } from '../../../../renderer/src/panels/profile/profile_tables';
import { profileOf } from './profile_fixture';

afterEach(cleanup);

// main calls work (self 2) and zap (self 5); work calls alpha (self 3).
const profile = profileOf({ 'main>work>alpha': 3, 'main>work': 2, 'main>zap': 5 }, 'samples');
const rows = topFunctions(profile);

const names = () =>
  within(screen.getByRole('table', { name: 'Top functions' }))
    .getAllByRole('row')
    .slice(1)
    .map((row) => row.querySelector('td')!.textContent);

describe('the top functions table', () => {
  it('lists the most self first, with counts, shares and (sampled) time', () => {
    render(<ProfileTable profile={profile} rows={rows} opened={null} onOpen={() => undefined} />);
    expect(names()).toEqual(['zap', 'alpha', 'work', 'main']);
    const work = screen.getByRole('button', { name: 'work' }).closest('tr')!;
    expect([...work.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['work', 'demo.c', '2 (2.00 ms)', '20.0%', '5 (5.00 ms)', '50.0%']);
    expect(screen.getByRole('columnheader', { name: 'Self' }).getAttribute('aria-sort')).toBe('descending');
  });

  it('sorts by a column, and the other way when clicked again', () => {
    render(<ProfileTable profile={profile} rows={rows} opened={null} onOpen={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Total' }));
    expect(names()).toEqual(['main', 'zap', 'work', 'alpha']);
    fireEvent.click(screen.getByRole('button', { name: 'Total' }));
    expect(names()).toEqual(['alpha', 'zap', 'work', 'main']);
    expect(screen.getByRole('columnheader', { name: 'Total' }).getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(screen.getByRole('button', { name: 'Function' }));
    expect(names()).toEqual(['alpha', 'main', 'work', 'zap']);
    expect(screen.getByRole('columnheader', { name: 'Function' }).getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(screen.getByRole('button', { name: 'Function' }));
    expect(names()).toEqual(['zap', 'work', 'main', 'alpha']);
  });

  it('opens a function by its name, and marks it', () => {
    const opened: FunctionRow[] = [];
    const { rerender } = render(<ProfileTable profile={profile} rows={rows} opened={null} onOpen={(row) => opened.push(row)} />);
    fireEvent.click(screen.getByRole('button', { name: 'alpha' }));
    expect(opened.map((r) => r.function)).toEqual(['alpha']);
    rerender(<ProfileTable profile={profile} rows={rows} opened={`alpha\u0000${opened[0]!.file}`} onOpen={() => undefined} />);
    expect(screen.getByRole('button', { name: 'alpha' }).closest('tr')!.getAttribute('aria-current')).toBe('true');
  });

  it('keeps the profile order among ties', () => {
    expect(sortRows(rows, 'selfShare', false).map((r) => r.function)).toEqual(['zap', 'alpha', 'work', 'main']);
    expect(sortRows(rows, 'file', false).map((r) => r.function)).toEqual(['zap', 'alpha', 'work', 'main']);
  });
});
