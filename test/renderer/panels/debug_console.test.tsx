// @vitest-environment happy-dom
// The Debug Console over a fake engine: an expression evaluated in the selected frame, its
// value or its error; ↑ and ↓ through what was typed; the logpoints' messages of each stop
// and the ended call's output, in the order they came.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { WireStop } from '../../../native/common/protocol/messages';
import { type EngineClient, EngineError } from '../../../renderer/src/api/engine_client';
import { DebugConsole } from '../../../renderer/src/panels/DebugConsole';
import { followConsole, useConsole } from '../../../renderer/src/state/debug_console';
import { useInspector } from '../../../renderer/src/state/store';

const frames: number[] = [];
const client: EngineClient = {
  request: (async (method: string, params: { expression: string; frame: number }) => {
    frames.push(params.frame);
    if (params.expression === 'n + 1') return { name: 'n + 1', value: '3', type: 'unsigned int', expression: 'n + 1', expandable: false };
    throw new EngineError({ kind: 'usage', message: `'${params.expression}': column 1: nothing is named '${params.expression}' in frame ${params.frame}` });
  }) as EngineClient['request'],
  onEvent: () => undefined,
};

let unfollow: () => void;
beforeEach(() => {
  frames.length = 0;
  useConsole.setState({ lines: [], history: [] });
  useInspector.setState({ client, debugging: true, selectedFrame: 1, stop: null, stopCount: 0 });
  unfollow = followConsole();
});
afterEach(() => {
  unfollow();
  cleanup();
});

const lines = () => [...screen.getByRole('log').querySelectorAll(':scope > li:not(.console-end)')].map((li) => `${li.className}: ${li.textContent}`);

async function type(text: string) {
  const input = screen.getByLabelText('Evaluate expression');
  fireEvent.change(input, { target: { value: text } });
  await act(async () => fireEvent.keyDown(input, { key: 'Enter' }));
}

describe('the Debug Console', () => {
  it('evaluates in the selected frame, showing values and errors', async () => {
    render(<DebugConsole />);
    await type('n + 1');
    await type('nope');
    expect(lines()).toEqual([
      'console-input: n + 1',
      'console-result: 3unsigned int',
      'console-input: nope',
      "console-error: 'nope': column 1: nothing is named 'nope' in frame 1",
    ]);
    expect(frames).toEqual([1, 1]);
    expect((screen.getByLabelText('Evaluate expression') as HTMLInputElement).value).toBe('');
  });

  it('goes through the history with the arrow keys', async () => {
    render(<DebugConsole />);
    await type('n + 1');
    await type('nope');
    await type('n + 1'); // typed again: the latest, once
    const input = screen.getByLabelText('Evaluate expression') as HTMLInputElement;
    const key = (k: string) => fireEvent.keyDown(input, { key: k });
    key('ArrowUp');
    expect(input.value).toBe('n + 1');
    key('ArrowUp');
    expect(input.value).toBe('nope');
    key('ArrowUp');
    expect(input.value).toBe('nope');
    key('ArrowDown');
    expect(input.value).toBe('n + 1');
    key('ArrowDown');
    expect(input.value).toBe('');
  });

  it("puts each stop's logpoint messages and the call's output in, in order", async () => {
    render(<DebugConsole />);
    const at = (fields: Partial<WireStop>): WireStop => ({
      reason: 'breakpoint',
      rip: '0x100020',
      symbol: 'fib',
      registers: { values: {}, flags: {} },
      ...fields,
    });
    const stopWith = (stop: WireStop) => act(async () => useInspector.setState({ stop, stopCount: useInspector.getState().stopCount + 1 }));
    await stopWith(at({ logs: [{ breakpoint: 2, text: 'fib(2)' }] }));
    await type('n + 1');
    await stopWith(at({ reason: 'exit', logs: [{ breakpoint: 2, text: 'fib(3)' }], value: '2', output: 'Hello, Ann!' }));
    expect(lines()).toEqual([
      'console-log: fib(2)',
      'console-input: n + 1',
      'console-result: 3unsigned int',
      'console-log: fib(3)',
      'console-output: Hello, Ann!',
    ]);
    // The same stop with a register changed is no new stop: nothing again.
    await act(async () => useInspector.setState({ stop: at({ logs: [{ breakpoint: 2, text: 'fib(9)' }] }) }));
    expect(lines()).toHaveLength(5);
    fireEvent.click(screen.getByRole('button', { name: 'Clear console' }));
    expect(lines()).toEqual([]);
  });
});
