// The timeline's arithmetic: a recorded call's positions (instructions run since its
// first) across the strip, from 0 to the furthest the call reached, whatever the oldest
// part dropped; a ruler of round instruction counts; the keys that move along it; and its
// marks, the engine's events merged with the hits this window saw, one a pixel per kind.
import type { WireRecording } from '../../../../native/common/protocol/messages';
import type { SeenHit } from '../../state/time_travel';
import { roundStep } from '../trace/time_axis';

/** The span a timeline shows and can go to: [start, end] of 0 … end. */
export type RecordedSpan = Pick<WireRecording, 'start' | 'end'>;

export type MarkKind = WireRecording['events'][number]['kind'];

export interface TimelineMark {
  kind: MarkKind;
  position: number;
  /** A breakpoint's or watchpoint's id. */
  id?: number;
  /** A host call's function. */
  function?: string;
}

/** Marks at one pixel, of one kind: the first's position is where a click there goes. */
export interface PlacedMark {
  kind: MarkKind;
  position: number;
  x: number;
  count: number;
  label: string;
}

export interface RulerTick {
  position: number;
  x: number;
  label: string;
}

/** Pixels a ruler label needs: "12,345,678" at 11px. */
export const minimumTickSpacing = 80;

/** An instruction count as the UI writes it: 1,234. */
export const countText = (count: number): string => count.toLocaleString('en-US');

/** Bytes in MiB, one decimal (a whole number from 10 MiB up). */
export function mebibytes(bytes: number): string {
  const mib = bytes / (1 << 20);
  return `${mib >= 10 ? Math.round(mib) : mib.toFixed(1)} MiB`;
}

export function positionToX(position: number, end: number, width: number): number {
  return end > 0 ? (position / end) * width : 0;
}

/** The position under `x` (pixels from the strip's left), within what the recording holds. */
export function xToPosition(x: number, span: RecordedSpan, width: number): number {
  const position = width > 0 ? Math.round((x / width) * span.end) : 0;
  return clampPosition(position, span);
}

export function clampPosition(position: number, span: RecordedSpan): number {
  return Math.min(span.end, Math.max(span.start, position));
}

/** The ruler across `width` pixels: ticks a round count of instructions apart, a label's width at least. */
export function positionTicks(end: number, width: number, spacing = minimumTickSpacing): RulerTick[] {
  if (end <= 0 || width <= 0) return [];
  // Whole instructions: never a step under one, however few the call ran.
  const step = Math.max(1, roundStep((end * spacing) / width));
  const ticks: RulerTick[] = [];
  for (let position = 0; position <= end; position += step) ticks.push({ position, x: positionToX(position, end, width), label: countText(position) });
  return ticks;
}

/**
 * Where a key moves the slider from `position`, or null for a key it doesn't take: an
 * arrow one instruction, Page Up and Page Down 1% of the span (one at least), Home and End
 * to the recording's start and end.
 */
export function keyedPosition(key: string, position: number, span: RecordedSpan): number | null {
  const page = Math.max(1, Math.round((span.end - span.start) / 100));
  const moves: Record<string, number> = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: page, PageDown: -page };
  if (key === 'Home') return span.start;
  if (key === 'End') return span.end;
  const move = moves[key];
  return move === undefined ? null : clampPosition(position + move, span);
}

const order: MarkKind[] = ['fault', 'breakpoint', 'watchpoint', 'host-call'];

/** The engine's events and the hits seen, once each (by kind and position), in position order. */
export function timelineMarks(events: readonly TimelineMark[], hits: readonly SeenHit[]): TimelineMark[] {
  const marks = new Map<string, TimelineMark>();
  for (const mark of [...events, ...hits]) {
    const key = `${mark.kind}@${mark.position}`;
    if (!marks.has(key)) marks.set(key, mark);
  }
  return [...marks.values()].sort((a, b) => a.position - b.position || order.indexOf(a.kind) - order.indexOf(b.kind));
}

/** "host call tick at 1,234", "breakpoint 1 hit at 56", "fault at 789". */
export function markLabel(mark: TimelineMark): string {
  const words = (...parts: (string | number | undefined)[]) => [...parts, 'at', countText(mark.position)].filter((p) => p !== undefined).join(' ');
  switch (mark.kind) {
    case 'host-call':
      return words('host call', mark.function);
    case 'breakpoint':
      return words('breakpoint', mark.id, 'hit');
    case 'watchpoint':
      return words('watchpoint', mark.id, 'hit');
    case 'fault':
      return words('fault');
  }
}

const plurals: Record<MarkKind, string> = { 'host-call': 'host calls', breakpoint: 'breakpoint hits', watchpoint: 'watchpoint hits', fault: 'faults' };

/** The marks across `width` pixels: those of a kind on the same pixel as one, saying how many. */
export function placeMarks(marks: readonly TimelineMark[], end: number, width: number): PlacedMark[] {
  const placed = new Map<string, PlacedMark & { last: number }>();
  for (const mark of marks) {
    const x = Math.round(positionToX(mark.position, end, width));
    const key = `${mark.kind}@${x}`;
    const there = placed.get(key);
    if (there) {
      there.count++;
      there.last = mark.position;
      there.label = `${there.count} ${plurals[mark.kind]}, ${countText(there.position)} to ${countText(there.last)}`;
    } else placed.set(key, { kind: mark.kind, position: mark.position, x, count: 1, label: markLabel(mark), last: mark.position });
  }
  return [...placed.values()].map(({ last: _last, ...mark }) => mark);
}

/** The mark within `reach` pixels of `x` nearest it, to go exactly there when a click lands beside it. */
export function markNear(marks: readonly PlacedMark[], x: number, reach = 4): PlacedMark | null {
  let nearest: PlacedMark | null = null;
  for (const mark of marks) {
    if (Math.abs(mark.x - x) <= reach && (!nearest || Math.abs(mark.x - x) < Math.abs(nearest.x - x))) nearest = mark;
  }
  return nearest;
}
