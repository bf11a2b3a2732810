// @vitest-environment happy-dom
// Resizable panes: the arrow keys move a boundary, no pane shrinks below its minimum, and
// the sizes come back in the next run.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { Split } from '../../../renderer/src/panels/Split';

beforeEach(() => localStorage.clear());
afterEach(cleanup);

function renderColumns() {
  render(
    <Split direction="row" initial={[1, 2, 1]} name="test">
      <div>left</div>
      <div>middle</div>
      <div>right</div>
    </Split>,
  );
}

const columns = () => (document.querySelector('.split') as HTMLElement).style.gridTemplateColumns;

describe('split panes', () => {
  it('moves a boundary with the arrow keys and keeps the sizes', () => {
    renderColumns();
    const first = screen.getByRole('separator', { name: 'Resize test 1' });
    expect(first.getAttribute('aria-valuenow')).toBe('25');
    expect(first.getAttribute('aria-orientation')).toBe('vertical');
    fireEvent.keyDown(first, { key: 'ArrowRight' });
    fireEvent.keyDown(first, { key: 'ArrowRight' });
    expect(first.getAttribute('aria-valuenow')).toBe('29');
    expect(columns()).toBe('minmax(0, 0.29fr) 5px minmax(0, 0.46fr) 5px minmax(0, 0.25fr)');
    expect(JSON.parse(localStorage.getItem('microscope.split.test')!)).toEqual([0.29, 0.46, 0.25].map((n) => expect.closeTo(n, 10)));

    cleanup();
    renderColumns();
    expect(screen.getByRole('separator', { name: 'Resize test 1' }).getAttribute('aria-valuenow')).toBe('29');
  });

  it('keeps every pane at its minimum share', () => {
    render(
      <Split direction="column" initial={[1, 1]} name="test">
        <div>top</div>
        <div>bottom</div>
      </Split>,
    );
    const handle = screen.getByRole('separator', { name: 'Resize test 1' });
    for (let i = 0; i < 40; i++) fireEvent.keyDown(handle, { key: 'ArrowDown' });
    expect(handle.getAttribute('aria-valuenow')).toBe('92');
    for (let i = 0; i < 80; i++) fireEvent.keyDown(handle, { key: 'ArrowUp' });
    expect(handle.getAttribute('aria-valuenow')).toBe('8');
  });
});
