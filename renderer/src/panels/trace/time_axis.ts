// The Call trace's time ruler: ticks a round step apart (1, 2 or 5 times a power of ten
// ns), at least a label's width apart at the current zoom, each labelled in the unit the
// window's times are read in (ns, µs, ms, s) with as many decimals as the step needs.
import { type TimeWindow, nsToX } from './trace_view';

export interface Tick {
  ns: number;
  /** Pixels from the chart's left edge. */
  x: number;
  label: string;
}

/** The room a label needs: "1.23456 ms" at the ruler's 11px. */
export const minimumTickSpacing = 90;

/** The smallest 1, 2 or 5 × 10^k ns at least `ns`. */
export function roundStep(ns: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(ns, 1e-9)));
  for (const multiple of [1, 2, 5, 10]) if (multiple * power >= ns * (1 - 1e-9)) return multiple * power;
  return 10 * power;
}

const units = [
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
  [1, 'ns'],
] as const;

/** `ns` in the unit of the window's largest time (`largestNs`), to the decimals a `stepNs` apart needs. */
export function tickLabel(ns: number, stepNs: number, largestNs: number): string {
  if (ns === 0) return '0';
  const [size, name] = units.find(([size]) => largestNs >= size) ?? units[3];
  const decimals = Math.max(0, Math.ceil(Math.log10(size / stepNs) - 1e-9));
  return `${(ns / size).toFixed(decimals)} ${name}`;
}

/** The ticks across a chart `width` pixels wide showing `window`. */
export function timeTicks(window: TimeWindow, width: number, spacing = minimumTickSpacing): Tick[] {
  const span = window.endNs - window.startNs;
  if (width <= 0 || span <= 0) return [];
  const stepNs = roundStep((span * spacing) / width);
  const ticks: Tick[] = [];
  for (let i = Math.ceil(window.startNs / stepNs); i * stepNs <= window.endNs; i++) {
    const ns = i * stepNs;
    ticks.push({ ns, x: nsToX(window, width, ns), label: tickLabel(ns, stepNs, window.endNs) });
  }
  return ticks;
}
