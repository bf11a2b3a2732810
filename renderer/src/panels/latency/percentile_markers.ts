// The histogram's percentile markers: p50, p90, p99 and p99.9 of every run shown, each in
// its run's colour, with labels that don't overlap: a run's equal percentiles share one
// label ("p99–p99.9"), and a label that would touch another goes up a level.
import type { WireProfileRun } from '../../../../native/common/protocol/messages';
import type { Domain } from './latency_axis';

export interface Marker {
  /** Which run (its place among those shown, for its colour). */
  run: number;
  label: string;
  ns: number;
  /** Pixels from the plot's left edge. */
  x: number;
  /** 0 just above the plot, 1 above that... */
  level: number;
}

const marked = [
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p99', 'p99'],
  ['p99.9', 'p99_9'],
] as const;

/** A 10px label's width, roughly, and the room kept between two on a level. */
const characterWidth = 6;
const gap = 4;

export function labelWidth(label: string): number {
  return label.length * characterWidth;
}

/**
 * Levels for labels centred at `x` each `width` wide, so that none overlaps another on its
 * level: left to right, each on the lowest level with room for it.
 */
export function placeLabels(labels: { x: number; width: number }[]): number[] {
  const ends: number[] = []; // each level's rightmost edge so far
  const levels = new Array<number>(labels.length);
  for (const i of labels.map((_, i) => i).sort((a, b) => labels[a]!.x - labels[b]!.x)) {
    const { x, width } = labels[i]!;
    let level = ends.findIndex((end) => end + gap <= x - width / 2);
    if (level < 0) level = ends.length;
    ends[level] = x + width / 2;
    levels[i] = level;
  }
  return levels;
}

/** Every run's markers on a log axis over `domain`, `width` pixels wide, their labels placed. */
export function percentileMarkers(runs: WireProfileRun[], [low, high]: Domain, width: number): Marker[] {
  const toX = (ns: number) => (width * Math.log(Math.max(ns, low) / low)) / Math.log(high / low);
  const markers: Omit<Marker, 'level'>[] = [];
  runs.forEach((run, i) => {
    const values = marked.map(([label, key]) => ({ label, ns: run.profile.summary[key] }));
    for (let from = 0; from < values.length;) {
      let to = from;
      while (to + 1 < values.length && values[to + 1]!.ns === values[from]!.ns) to++;
      const label = to > from ? `${values[from]!.label}–${values[to]!.label}` : values[from]!.label;
      markers.push({ run: i, label, ns: values[from]!.ns, x: toX(values[from]!.ns) });
      from = to + 1;
    }
  });
  const levels = placeLabels(markers.map((m) => ({ x: m.x, width: labelWidth(m.label) })));
  return markers.map((m, i) => ({ ...m, level: levels[i]! }));
}
