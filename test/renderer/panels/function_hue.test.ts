// A function's hue, for the Call trace's flame chart and the CPU profile's flame graph
// alike: the same for the same name, in every trace, profile and session, and names
// spread round the wheel.
import { describe, expect, it } from 'vitest';

import { functionHue, nameHash } from '../../../renderer/src/panels/function_hue';

describe("a function's hue", () => {
  it('is the same every time, from the hash of its name alone', () => {
    // FNV-1a of "a" (a known value): the hash is the standard one, not this build's.
    expect(nameHash('a')).toBe(0xe40c292c);
    expect(functionHue('fib')).toBe(functionHue('fib'));
    expect(functionHue('fib')).toBe(46); // FNV-1a("fib") % 360: the same in the next release
    expect(functionHue('main')).not.toBe(functionHue('fib'));
    expect(functionHue('')).toBe(0x811c9dc5 % 360);
  });

  it('spreads names round the wheel', () => {
    const hues = Array.from({ length: 200 }, (_, i) => functionHue(`function_${i}`));
    for (const hue of hues) {
      expect(Number.isInteger(hue)).toBe(true);
      expect(hue).toBeGreaterThanOrEqual(0);
      expect(hue).toBeLessThan(360);
    }
    expect(new Set(hues.map((h) => Math.floor(h / 30))).size).toBe(12);
    const few = new Set(['fib', 'add', 'main', 'print', 'sqlite3_step', 'memcpy', 'strlen', 'malloc'].map(functionHue));
    expect(few.size).toBeGreaterThanOrEqual(7);
  });
});
