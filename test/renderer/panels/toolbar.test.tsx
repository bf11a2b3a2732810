// @vitest-environment happy-dom
// The debug toolbar: which actions a state allows, and VS Code's keys for them.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { Toolbar } from '../../../renderer/src/panels/Toolbar';
import { type ResumeHow, useInspector } from '../../../renderer/src/state/store';

afterEach(cleanup);

const enabled = () =>
  screen
    .getAllByRole('button')
    .filter((b) => !(b as HTMLButtonElement).disabled)
    .map((b) => b.textContent);

describe('the toolbar', () => {
  it('allows what the state allows', () => {
    useInspector.setState({ debugging: false, running: false });
    const { rerender } = render(<Toolbar />);
    expect(enabled()).toEqual([]);
    useInspector.setState({ debugging: true, running: false });
    rerender(<Toolbar />);
    expect(enabled()).toEqual(['Continue', 'Step Over', 'Step Into', 'Step Out', 'Restart', 'Stop']);
    expect(screen.getByRole('status', { name: 'Debugger state' }).textContent).toBe('Paused');
    useInspector.setState({ debugging: true, running: true });
    rerender(<Toolbar />);
    expect(enabled()).toEqual(['Pause', 'Stop']);
  });

  it("answers VS Code's keys", () => {
    const done: string[] = [];
    useInspector.setState({
      debugging: true,
      running: false,
      resume: async (how: ResumeHow) => void done.push(how),
      restart: async () => void done.push('restart'),
      stopDebugging: async () => void done.push('stop'),
    });
    render(<Toolbar />);
    fireEvent.keyDown(window, { key: 'F5' });
    fireEvent.keyDown(window, { key: 'F10' });
    fireEvent.keyDown(window, { key: 'F11' });
    fireEvent.keyDown(window, { key: 'F11', shiftKey: true });
    fireEvent.keyDown(window, { key: 'F5', shiftKey: true, ctrlKey: true });
    fireEvent.keyDown(window, { key: 'F5', shiftKey: true });
    expect(done).toEqual(['continue', 'over', 'step', 'out', 'restart', 'stop']);
  });
});
