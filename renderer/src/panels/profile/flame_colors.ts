// The flame graph's colours, as CSS: by function (a hash of its name picks the hue, so a
// function keeps its colour from one profile, zoom or session to the next), by self time
// (heat), or by how a frame's share changed against a baseline (red grew, blue shrank).
// Each is mixed with a theme variable (theme.css), so light and dark each get their own.
import { functionHue } from '../function_hue';

export function functionColor(name: string): string {
  return `color-mix(in srgb, hsl(${functionHue(name)} 62% 52%) 62%, var(--flame-mix))`;
}

/** `level` 0..1: a frame's self count against the most any frame has. */
export function heatColor(level: number): string {
  return `color-mix(in srgb, var(--heat-hot) ${Math.round(clamp(level) * 100)}%, var(--heat-cold))`;
}

/** `delta` a change of share, against `scale` the largest change shown (both 0..1 of the whole). */
export function diffColor(delta: number, scale: number): string {
  const level = scale > 0 ? clamp(Math.abs(delta) / scale) : 0;
  const toward = delta > 0 ? 'var(--diff-grew)' : 'var(--diff-shrank)';
  return `color-mix(in srgb, ${toward} ${Math.round(level * 100)}%, var(--diff-same))`;
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}
