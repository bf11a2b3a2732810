// @vitest-environment happy-dom
// The timeline and the answer to "where was this written?" as they draw the time-travel
// state: the slider's values and keys, the marks, the size and a dropped start; the answer's
// position, instruction, line and values, Go there, and nothing found.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { WireRecording } from '../../../../native/common/protocol/messages';
import { LastWritePopover } from '../../../../renderer/src/panels/time_travel/LastWritePopover';
import { Timeline } from '../../../../renderer/src/panels/time_travel/Timeline';
import { useInspector } from '../../../../renderer/src/state/store';
import { useTimeTravel } from '../../../../renderer/src/state/time_travel';

afterEach(cleanup);

const recording: WireRecording = {
  start: 0,
  end: 5000,
  position: 1234,
  ended: false,
  dropped: false,
  bytes: 3 << 20,
  sizeLimit: 512 << 20,
  checkpoints: 2,
  checkpointInterval: 200_000,
  events: [{ kind: 'host-call', position: 2000, function: 'tick' }],
};

let went: number[];
beforeEach(() => {
  went = [];
  useInspector.setState({
    stop: { reason: 'breakpoint', rip: '0x100020', symbol: 'fib', position: 1234, registers: { values: {}, flags: {} } },
    running: false,
  });
  useTimeTravel.setState({
    recording,
    hits: [{ kind: 'breakpoint', position: 1234, id: 1 }],
    lastWrite: null,
    goTo: async (position: number) => void went.push(position),
  });
});

describe('the timeline', () => {
  it('is a slider over the recording, with its marks and its size', () => {
    render(<Timeline />);
    const slider = screen.getByRole('slider', { name: 'Position in the recorded call' });
    expect(['aria-valuemin', 'aria-valuemax', 'aria-valuenow', 'aria-valuetext'].map((a) => slider.getAttribute(a))).toEqual([
      '0',
      '5000',
      '1234',
      'instruction 1,234 of 5,000',
    ]);
    const marks = screen.getByRole('list', { name: 'Marks' });
    expect([...marks.querySelectorAll('li')].map((m) => [m.getAttribute('aria-label'), m.className])).toEqual([
      ['breakpoint 1 hit at 1,234', 'timeline-mark mark-breakpoint'],
      ['host call tick at 2,000', 'timeline-mark mark-host-call'],
    ]);
    expect(screen.getByLabelText('Recording size').textContent).toBe('recording: 3.0 MiB, 2 checkpoints');
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('goes an instruction, 1% or to either end with the keys', () => {
    render(<Timeline />);
    const slider = screen.getByRole('slider');
    for (const key of ['ArrowRight', 'ArrowLeft', 'PageUp', 'PageDown', 'Home', 'End']) fireEvent.keyDown(slider, { key });
    expect(went).toEqual([1235, 1233, 1284, 1184, 0, 5000]);
  });

  it('says the oldest part was dropped, and goes no further back than what is kept', () => {
    useTimeTravel.setState({ recording: { ...recording, start: 1000, dropped: true } });
    render(<Timeline />);
    expect(screen.getByRole('note').textContent).toBe('the oldest part was dropped to stay within 512 MiB (before 1,000)');
    const slider = screen.getByRole('slider');
    expect(slider.getAttribute('aria-valuemin')).toBe('1000');
    fireEvent.keyDown(slider, { key: 'Home' });
    expect(went).toEqual([1000]);
  });

  it('is not there without a recording', () => {
    useTimeTravel.setState({ recording: null });
    render(<Timeline />);
    expect(screen.queryByRole('region', { name: 'Timeline' })).toBeNull();
  });
});

describe('where was this written?', () => {
  it('gives the position, the instruction and its line, the values, and goes there', () => {
    useTimeTravel.setState({
      lastWrite: {
        label: 'last_n',
        anchor: { x: 10, y: 10 },
        answer: {
          found: true,
          position: 26,
          instruction: '0x100173',
          symbol: 'fib+0x13',
          file: '/src/time_travel.c',
          line: 10,
          oldValue: '0500000000000000',
          newValue: '0400000000000000',
        },
      },
    });
    render(<LastWritePopover />);
    const answer = screen.getByRole('dialog', { name: 'Where was last_n written?' });
    expect([...answer.querySelectorAll('dd')].map((d) => d.textContent)).toEqual(['instruction 26', 'fib+0x13 (time_travel.c:10)', '0x5 → 0x4']);
    fireEvent.click(screen.getByRole('button', { name: 'Go there' }));
    expect(went).toEqual([26]);
    expect(useTimeTravel.getState().lastWrite).toBeNull();
  });

  it('says when nothing recorded wrote it, and why the engine could not tell', () => {
    useTimeTravel.setState({ lastWrite: { label: 'r15', anchor: { x: 0, y: 0 }, answer: { found: false } } });
    const { rerender } = render(<LastWritePopover />);
    expect(screen.getByLabelText('Answer').textContent).toBe('not written in the recorded part of this call');
    useTimeTravel.setState({ lastWrite: { label: 'seen', anchor: { x: 0, y: 0 }, error: "'seen' is not in guest memory" } });
    rerender(<LastWritePopover />);
    expect(screen.getByRole('alert').textContent).toBe("'seen' is not in guest memory");
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(useTimeTravel.getState().lastWrite).toBeNull();
  });
});
