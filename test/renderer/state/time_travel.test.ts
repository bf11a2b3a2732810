// @vitest-environment happy-dom
// Time travel's state against a stand-in engine: Debug records where the backend can and
// the user wants it; every stop reads the recording again and keeps its hit; going to a
// position sends one goTo at a time, the latest wanted next; "where was this written?"
// holds the engine's answer; the reasons going back is off.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Method, Params, WireGuest, WireRecording, WireStop } from '../../../native/common/protocol/messages';
import type { EngineClient } from '../../../renderer/src/api/engine_client';
import { useRecordChoice } from '../../../renderer/src/state/record_choice';
import { useInspector } from '../../../renderer/src/state/store';
import { followRecording, useTimeTravel, whyNoGoingBack } from '../../../renderer/src/state/time_travel';

const guest = (backend: string): WireGuest => ({ path: 'demo.elf', backend, backendReason: 'requested', memorySize: '0x1000000', regions: [], functions: [] });
const stopAt = (position: number, reason: WireStop['reason'] = 'step', breakpoint?: number): WireStop => ({
  reason,
  rip: '0x100020',
  symbol: 'fib',
  position,
  ...(breakpoint ? { breakpoint } : {}),
  registers: { values: {}, flags: {} },
});
const recordingTo = (end: number, position = end): WireRecording => ({
  start: 0,
  end,
  position,
  ended: false,
  dropped: false,
  bytes: 69632,
  sizeLimit: 512 << 20,
  checkpoints: 1,
  checkpointInterval: 200_000,
  events: [],
});

let asked: { method: Method; params: unknown }[];
/** goTo requests wait for the test to let them through, one at a time. */
let held: (() => void)[];
let recording: WireRecording | null;

function engine(): EngineClient {
  return {
    request: (async (method: Method, params: unknown) => {
      asked.push({ method, params });
      switch (method) {
        case 'debug.start':
          return stopAt(0, 'entry');
        case 'debug.goTo': {
          const { position } = params as Params<'debug.goTo'>;
          await new Promise<void>((resolve) => held.push(resolve));
          return stopAt(position);
        }
        case 'debug.reverse':
          return stopAt(10, 'breakpoint', 1);
        case 'debug.recording':
          return recording;
        case 'debug.lastWrite':
          if ('register' in (params as object)) return { found: false };
          return { found: true, position: 38, instruction: '0x100030', symbol: 'fib+0x10', file: '/src/demo.c', line: 14, oldValue: '02', newValue: '01' };
        case 'code.disassemble':
          return [{ address: '0x100020', bytes: '55', mnemonic: 'push', operands: 'rbp', symbol: 'fib' }];
        case 'stack.backtrace':
        case 'breakpoint.list':
        case 'watchpoint.list':
          return [];
        default:
          throw new Error(`unexpected ${method}`);
      }
    }) as EngineClient['request'],
    onEvent: () => undefined,
  };
}

const requests = (method: Method) => asked.filter((a) => a.method === method).map((a) => a.params);
/** Until the engine's answers (and what they set off) have all come back. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

let unfollow: () => void;
beforeEach(() => {
  asked = [];
  held = [];
  recording = recordingTo(0);
  localStorage.clear();
  useRecordChoice.setState({ wanted: { emulated: true, kvm: false } });
  useInspector.setState({ client: engine(), guest: guest('emulated'), running: false, debugging: false, stop: null, stopCount: 0, disassembly: [] });
  useTimeTravel.setState({ recording: null, hits: [], lastWrite: null });
  unfollow = followRecording();
});
afterEach(() => unfollow());

describe('recording a debugged call', () => {
  it("records as the user chose for the guest's backend: on the emulated one by default, on KVM when asked", async () => {
    await useInspector.getState().debug('fib', ['5']);
    useInspector.setState({ guest: guest('kvm') });
    await useInspector.getState().debug('fib', ['5']);
    useRecordChoice.getState().setWanted('kvm', true);
    await useInspector.getState().debug('fib', ['5']);
    useInspector.setState({ guest: guest('emulated') });
    useRecordChoice.getState().setWanted('emulated', false);
    await useInspector.getState().debug('fib', ['5']);
    expect(requests('debug.start')).toEqual([
      { function: 'fib', args: ['5'], record: true },
      { function: 'fib', args: ['5'] },
      { function: 'fib', args: ['5'], record: true },
      { function: 'fib', args: ['5'] },
    ]);
    expect(localStorage.getItem('microscope.record')).toBe('off');
    expect(localStorage.getItem('microscope.record.kvm')).toBe('on');
  });
});

describe('after every stop', () => {
  it('reads the recording again and keeps the breakpoint hits with their positions', async () => {
    await useInspector.getState().debug('fib', ['5']);
    await settle();
    expect(useTimeTravel.getState().recording).toEqual(recordingTo(0));
    recording = recordingTo(40);
    await useInspector.getState().travel(async () => stopAt(20, 'breakpoint', 1));
    await useInspector.getState().travel(async () => stopAt(40, 'watchpoint'));
    await useTimeTravel.getState().reverse('continue');
    await settle();
    expect(requests('debug.reverse')).toEqual([{ how: 'continue' }]);
    expect(useTimeTravel.getState().hits).toEqual([
      { kind: 'breakpoint', position: 20, id: 1 },
      { kind: 'watchpoint', position: 40 },
      { kind: 'breakpoint', position: 10, id: 1 },
    ]);
    expect(useTimeTravel.getState().recording?.end).toBe(40);
    expect(requests('debug.recording').length).toBe(4);
  });

  it('forgets the hits past a restarted recording, and all of it when the call is gone', async () => {
    useTimeTravel.setState({
      hits: [
        { kind: 'breakpoint', position: 10 },
        { kind: 'breakpoint', position: 30 },
      ],
    });
    recording = recordingTo(20);
    await useInspector.getState().travel(async () => stopAt(0, 'entry'));
    await settle();
    expect(useTimeTravel.getState().hits).toEqual([{ kind: 'breakpoint', position: 10 }]);
    useInspector.setState({ stop: null });
    expect(useTimeTravel.getState()).toMatchObject({ recording: null, hits: [] });
  });
});

describe('going to a position', () => {
  it('sends one goTo at a time, and then the latest position wanted', async () => {
    useInspector.setState({ stop: stopAt(0), debugging: true });
    const going = useTimeTravel.getState().goTo(100);
    void useTimeTravel.getState().goTo(200);
    void useTimeTravel.getState().goTo(300);
    await settle();
    expect(requests('debug.goTo')).toEqual([{ position: 100 }]);
    held.shift()!();
    await settle();
    expect(requests('debug.goTo')).toEqual([{ position: 100 }, { position: 300 }]);
    held.shift()!();
    await going;
    expect(useInspector.getState().stop?.position).toBe(300);
    // Where the call is already: nothing to send.
    await useTimeTravel.getState().goTo(300);
    expect(requests('debug.goTo').length).toBe(2);
  });
});

describe('where was this written?', () => {
  it("holds the engine's answer beside where it was asked", async () => {
    await useTimeTravel.getState().askLastWrite({ expression: 'last_n', frame: 0 }, 'last_n', { x: 10, y: 20 });
    expect(requests('debug.lastWrite')).toEqual([{ expression: 'last_n', frame: 0 }]);
    expect(useTimeTravel.getState().lastWrite).toMatchObject({ label: 'last_n', anchor: { x: 10, y: 20 }, answer: { found: true, position: 38 } });
    await useTimeTravel.getState().askLastWrite({ register: 'rax' }, 'rax', { x: 0, y: 0 });
    expect(useTimeTravel.getState().lastWrite).toMatchObject({ label: 'rax', answer: { found: false } });
    useTimeTravel.getState().closeLastWrite();
    expect(useTimeTravel.getState().lastWrite).toBeNull();
  });
});

it('says why going back is off', () => {
  expect(whyNoGoingBack(recordingTo(10), false, stopAt(10))).toBeNull();
  expect(whyNoGoingBack(recordingTo(10), false, stopAt(10, 'exit'))).toBeNull();
  expect(whyNoGoingBack(recordingTo(10), true, stopAt(10))).toBe('the call is running');
  expect(whyNoGoingBack(null, false, stopAt(10))).toBe('this call is not recorded: debug it with Record (time travel) on');
  expect(whyNoGoingBack(null, false, null)).toBe('debug a call with Record (time travel) on to go back in it');
});
