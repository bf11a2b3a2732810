// The flame graph's colours: a function's hue (function_hue's, from its name alone), heat
// and change, mixed with the theme's variables so light and dark differ.
import { describe, expect, it } from 'vitest';

import { functionHue } from '../../../../renderer/src/panels/function_hue';
import { diffColor, functionColor, heatColor } from '../../../../renderer/src/panels/profile/flame_colors';

describe('the flame colours', () => {
  it("give a function its hue, mixed with the theme's", () => {
    expect(functionColor('fib')).toBe(`color-mix(in srgb, hsl(${functionHue('fib')} 62% 52%) 62%, var(--flame-mix))`);
  });

  it('mix heat and change with the theme variables, in proportion', () => {
    expect(heatColor(0.5)).toBe('color-mix(in srgb, var(--heat-hot) 50%, var(--heat-cold))');
    expect(heatColor(3)).toContain('100%');
    expect(diffColor(0.1, 0.2)).toBe('color-mix(in srgb, var(--diff-grew) 50%, var(--diff-same))');
    expect(diffColor(-0.2, 0.2)).toBe('color-mix(in srgb, var(--diff-shrank) 100%, var(--diff-same))');
    expect(diffColor(0, 0)).toBe('color-mix(in srgb, var(--diff-shrank) 0%, var(--diff-same))');
  });
});
