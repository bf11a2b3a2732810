// @vitest-environment happy-dom
// A call's outcome beside its form: its time, an abort's code, a fault in words with a way to
// debug the same call, the engine's refusal inline; and the result before gone once the next
// call or a debug run starts.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import type { WireCallReport, WireGuest } from '../../../native/common/protocol/messages';
import { EngineError, type EngineClient } from '../../../renderer/src/api/engine_client';
import { FunctionsPanel } from '../../../renderer/src/panels/FunctionsPanel';
import { useInspector } from '../../../renderer/src/state/store';

afterEach(cleanup);

const guest: WireGuest = {
  path: 'demo.elf',
  backend: 'emulated',
  backendReason: 'requested',
  memorySize: '0x1000000',
  regions: [],
  functions: [{ name: 'add', params: [{ name: 'a', type: 'i64' }], returns: 'i64' }],
};
const report = (fields: Partial<WireCallReport>): WireCallReport => ({
  ok: true,
  type: 'i64',
  output: '',
  outputTruncated: false,
  durationNs: 42_100,
  ...fields,
});

/** A client whose call.run answers wait until `answer` is called; debug.start is recorded. */
function fakeEngine() {
  const asked: { method: string; params: unknown }[] = [];
  let answer: (value: unknown) => void = () => undefined;
  let refuse: (error: Error) => void = () => undefined;
  const client: EngineClient = {
    request: (method, params) => {
      asked.push({ method, params });
      return new Promise((resolve, reject) => {
        answer = resolve as (value: unknown) => void;
        refuse = reject;
      });
    },
    onEvent: () => undefined,
  };
  return { client, asked, answer: (value: unknown) => answer(value), refuse: (error: Error) => refuse(error) };
}

function renderWith(result: WireCallReport | undefined, client: EngineClient, error?: string) {
  useInspector.setState({ client, guest, running: false, debugging: false, lastCall: { function: 'add', args: ['7'], ...(result ? { result } : {}), error } });
  render(<FunctionsPanel />);
  return screen.getByRole('form', { name: 'Call add' });
}

describe("a call's result", () => {
  it('gives the value and how long the call took', () => {
    renderWith(report({ value: '5' }), fakeEngine().client);
    expect(screen.getByLabelText('Result').textContent).toBe('5 i64 · 42.1 µs');
    expect(screen.getByLabelText('Call time').textContent).toBe(' · 42.1 µs');
  });

  it("gives an abort's code", () => {
    renderWith(report({ ok: false, value: undefined, error: { kind: 'abort', message: 'bad input', code: 7 } }), fakeEngine().client);
    expect(screen.getByLabelText('Abort code').textContent).toBe('7');
    expect(screen.getByLabelText('Result').textContent).toMatch(/^abort code 7: bad input · /);
  });

  it('names a fault in words, and debugs the same call from it', async () => {
    const engine = fakeEngine();
    const error = { kind: 'fault', message: '#PF', vector: '#PF', rip: '0x100482', symbol: 'crash_null+0x2', cr2: '0x0' };
    renderWith(report({ ok: false, error }), engine.client);
    expect(screen.getByLabelText('Result').textContent).toMatch(/^#PF page fault at 0x100482 \(crash_null\+0x2\), CR2 0x0 · /);
    fireEvent.click(screen.getByRole('button', { name: 'Debug this call' }));
    // Recorded, as Debug records on the emulated backend.
    expect(engine.asked).toEqual([{ method: 'debug.start', params: { function: 'add', args: ['7'], record: true } }]);
    // The fault's result is gone while the debug run starts.
    expect(screen.queryByLabelText('Result')).toBeNull();
  });

  it("puts the engine's refusal inline, and no result of before", async () => {
    const engine = fakeEngine();
    const form = renderWith(report({ value: '5' }), engine.client);
    fireEvent.submit(form);
    expect(screen.queryByLabelText('Result')).toBeNull(); // the stale 5 is gone as the call starts
    await act(async () => engine.refuse(new EngineError({ kind: 'usage', message: 'a is out of range for i64: 9223372036854775808' })));
    expect(screen.getByRole('alert').textContent).toBe('refused: a is out of range for i64: 9223372036854775808');
    expect(useInspector.getState().error).toBeNull(); // not the banner
  });

  it('replaces the result of before with the next', async () => {
    const engine = fakeEngine();
    const form = renderWith(report({ value: '5' }), engine.client);
    fireEvent.submit(form);
    await act(async () => engine.answer(report({ value: '9', durationNs: 900 })));
    expect(screen.getByLabelText('Result').textContent).toBe('9 i64 · 900 ns');
  });
});
