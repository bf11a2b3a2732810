// @vitest-environment happy-dom
// The Source view when the engine can't find a file: its error (where it looked) in the
// pane, and the source path map that makes it read the file elsewhere, kept for next time.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import type { WireGuest } from '../../../native/common/protocol/messages';
import { type EngineClient, EngineError } from '../../../renderer/src/api/engine_client';
import { SourcePanel } from '../../../renderer/src/panels/SourcePanel';
import { useSource } from '../../../renderer/src/state/source';
import { useInspector } from '../../../renderer/src/state/store';

afterEach(cleanup);

const file = '/build/src/demo.c';
const guest: WireGuest = { path: 'demo.elf', backend: 'emulated', backendReason: 'requested', memorySize: '0x1000000', regions: [], functions: [] };

describe('the Source panel', () => {
  it("shows the engine's error for a file it can't find, and reads it again through a path map", async () => {
    const asked: unknown[] = [];
    const client: EngineClient = {
      request: (async (method: string, params: unknown) => {
        if (method === 'source.files') return [{ file, lines: [12, 13] }];
        asked.push(params);
        throw new EngineError({ kind: 'usage', message: `can't find the source file ${file}: looked at ${file} (ENOENT)` });
      }) as EngineClient['request'],
      onEvent: () => undefined,
    };
    localStorage.clear();
    useSource.setState({ guestPath: null, shown: null, pathMap: [] });
    useInspector.setState({
      client,
      guest,
      debugging: true,
      stop: { reason: 'step', rip: '0x100020', symbol: 'fib', file, line: 13, registers: { values: {}, flags: {} } },
      frames: [],
      selectedFrame: 0,
      breakpoints: [],
    });
    await act(async () => render(<SourcePanel />));
    const source = screen.getByRole('region', { name: 'Source' });
    expect(source.querySelector('[role="alert"]')!.textContent).toContain(`can't find the source file ${file}: looked at ${file} (ENOENT)`);
    expect((screen.getByLabelText('Source file') as HTMLSelectElement).value).toBe(file);

    fireEvent.change(screen.getByLabelText('Map from'), { target: { value: '/build/src' } });
    fireEvent.change(screen.getByLabelText('Map to'), { target: { value: '/home/me/src' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Add mapping' })));
    expect(asked.at(-1)).toEqual({ file, pathMap: [{ from: '/build/src', to: '/home/me/src' }] });
    expect(JSON.parse(localStorage.getItem('microscope.sourcePathMap')!)).toEqual([{ from: '/build/src', to: '/home/me/src' }]);
    expect(screen.getByText('/home/me/src')).toBeTruthy();
  });
});
