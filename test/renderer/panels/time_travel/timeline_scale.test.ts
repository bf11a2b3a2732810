// The timeline's arithmetic: positions across the strip and back (within what the recording
// holds), a ruler of round instruction counts, the slider's keys, and the marks: the
// engine's events merged with the hits seen, labelled, one a pixel per kind.
import { describe, expect, it } from 'vitest';

import {
  keyedPosition,
  markLabel,
  markNear,
  mebibytes,
  placeMarks,
  positionTicks,
  positionToX,
  timelineMarks,
  xToPosition,
} from '../../../../renderer/src/panels/time_travel/timeline_scale';

describe('positions across the timeline', () => {
  it('puts 0 at the left and the end at the right, and reads a pixel back as a whole position', () => {
    expect([0, 250, 1000].map((p) => positionToX(p, 1000, 400))).toEqual([0, 100, 400]);
    expect([0, 100, 400, 137].map((x) => xToPosition(x, { start: 0, end: 1000 }, 400))).toEqual([0, 250, 1000, 343]);
    // At the entry nothing has run yet: everything is 0.
    expect(positionToX(0, 0, 400)).toBe(0);
    expect(xToPosition(300, { start: 0, end: 0 }, 400)).toBe(0);
  });

  it('goes nowhere the recording does not hold: before a dropped start, past the end', () => {
    const span = { start: 600, end: 1000 };
    expect(xToPosition(40, span, 400)).toBe(600);
    expect(xToPosition(300, span, 400)).toBe(750);
    expect(xToPosition(-20, span, 400)).toBe(600);
    expect(xToPosition(500, span, 400)).toBe(1000);
  });
});

describe('the ruler', () => {
  it('puts ticks a round count apart, a label apart at least', () => {
    const ticks = positionTicks(1000, 1000);
    expect(ticks.map((t) => t.label)).toEqual(['0', '100', '200', '300', '400', '500', '600', '700', '800', '900', '1,000']);
    expect(ticks.map((t) => t.x)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(positionTicks(1_234_567, 900).map((t) => t.label)).toEqual(['0', '200,000', '400,000', '600,000', '800,000', '1,000,000', '1,200,000']);
    expect(positionTicks(223, 1200).map((t) => t.position)).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220]);
  });

  it('never steps by less than an instruction', () => {
    expect(positionTicks(5, 800).map((t) => t.label)).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(positionTicks(0, 800)).toEqual([]);
  });
});

describe("the slider's keys", () => {
  const span = { start: 0, end: 5000 };
  it('moves an instruction with an arrow, 1% with Page Up and Down, to the start and end with Home and End', () => {
    expect(['ArrowRight', 'ArrowUp', 'ArrowLeft', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End'].map((k) => keyedPosition(k, 1234, span))).toEqual([
      1235, 1235, 1233, 1233, 1284, 1184, 0, 5000,
    ]);
    expect(keyedPosition('Enter', 1234, span)).toBeNull();
  });

  it('stays within the recording, and pages by one instruction at least', () => {
    expect(keyedPosition('ArrowLeft', 600, { start: 600, end: 1000 })).toBe(600);
    expect(keyedPosition('Home', 900, { start: 600, end: 1000 })).toBe(600);
    expect(keyedPosition('PageUp', 4990, span)).toBe(5000);
    expect(keyedPosition('PageUp', 3, { start: 0, end: 20 })).toBe(4);
  });
});

describe('the marks', () => {
  it("merges the engine's events with the hits seen, once each, in position order", () => {
    const events = [
      { kind: 'host-call' as const, position: 1234, function: 'tick' },
      { kind: 'fault' as const, position: 9000 },
      { kind: 'breakpoint' as const, position: 10, id: 1 },
    ];
    const hits = [
      { kind: 'breakpoint' as const, position: 30, id: 1 },
      { kind: 'breakpoint' as const, position: 10, id: 1 },
      { kind: 'watchpoint' as const, position: 1234, id: 2 },
    ];
    const marks = timelineMarks(events, hits);
    expect(marks.map((m) => `${m.kind}@${m.position}`)).toEqual(['breakpoint@10', 'breakpoint@30', 'watchpoint@1234', 'host-call@1234', 'fault@9000']);
    expect(marks.map(markLabel)).toEqual([
      'breakpoint 1 hit at 10',
      'breakpoint 1 hit at 30',
      'watchpoint 2 hit at 1,234',
      'host call tick at 1,234',
      'fault at 9,000',
    ]);
    expect(markLabel({ kind: 'breakpoint', position: 5 })).toBe('breakpoint hit at 5');
  });

  it('puts those of a kind on the same pixel together, saying how many; other kinds beside them', () => {
    const marks = timelineMarks(
      [1000, 1200, 1400, 5000].map((position) => ({ kind: 'host-call' as const, position, function: 'tick' })),
      [{ kind: 'breakpoint', position: 1100 }],
    );
    const placed = placeMarks(marks, 100_000, 100);
    expect(placed).toEqual([
      { kind: 'host-call', position: 1000, x: 1, count: 3, label: '3 host calls, 1,000 to 1,400' },
      { kind: 'breakpoint', position: 1100, x: 1, count: 1, label: 'breakpoint hit at 1,100' },
      { kind: 'host-call', position: 5000, x: 5, count: 1, label: 'host call tick at 5,000' },
    ]);
    expect(markNear(placed, 4)?.position).toBe(5000);
    expect(markNear(placed, 2.5)?.position).toBe(1000);
    expect(markNear(placed, 20)).toBeNull();
  });
});

it('gives a size in MiB', () => {
  expect([69_632, 3 << 20, 512 << 20].map(mebibytes)).toEqual(['0.1 MiB', '3.0 MiB', '512 MiB']);
});
