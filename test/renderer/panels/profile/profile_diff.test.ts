// Two profiles compared by share: frames matched by their path, functions by name and
// file, the changes of self share that colour the differential flame graph and order its
// table.
import { describe, expect, it } from 'vitest';

import { diffFunctions, diffTrees, largestChange } from '../../../../renderer/src/panels/profile/profile_diff';
import { topFunctions } from '../../../../renderer/src/panels/profile/profile_tables';
import { buildTree } from '../../../../renderer/src/panels/profile/profile_tree';
import { profileOf } from './profile_fixture';

// The baseline in instructions, the comparison in samples: only shares compare.
const baseline = profileOf({ 'main>fib': 50, 'main>print': 50 });
const comparison = profileOf({ 'main>fib': 6, 'main>fib>fib': 2, 'main>print': 2 }, 'samples');

describe('the differential tree', () => {
  const changes = diffTrees(buildTree(comparison), buildTree(baseline));
  const byPath = new Map([...changes].map(([node, change]) => [`${node.function}@${node.depth}`, change]));

  it('gives each frame of the comparison its self share in both, by path', () => {
    expect(byPath.get('fib@2')).toMatchObject({ baseline: 0.5, comparison: 0.6 });
    expect(byPath.get('fib@2')!.delta).toBeCloseTo(0.1);
    expect(byPath.get('fib@2')!.totalDelta).toBeCloseTo(0.3);
    expect(byPath.get('print@2')!.delta).toBeCloseTo(-0.3);
    // Only in the comparison: grown from nothing.
    expect(byPath.get('fib@3')).toMatchObject({ baseline: 0, comparison: 0.2 });
    expect(byPath.get('all@0')!.delta).toBe(0);
  });

  it('scales the colours to the largest change', () => {
    expect(largestChange(changes)).toBeCloseTo(0.3);
  });
});

describe('the differences by function', () => {
  it('lists each function of either profile, the largest change of self share first', () => {
    const later = profileOf({ 'main>fib': 5, 'main>fib>fib': 2, 'main>print': 2, main: 1 }, 'samples');
    const rows = diffFunctions(topFunctions(baseline), topFunctions(later));
    expect(rows.map((r) => r.function)).toEqual(['print', 'fib', 'main']);
    expect(rows[0]).toMatchObject({ baseline: 0.5, comparison: 0.2 });
    expect(rows[0]!.delta).toBeCloseTo(-0.3);
    expect(rows[1]!.delta).toBeCloseTo(0.2);
    expect(rows[1]!.totalDelta).toBeCloseTo(0.2);
    expect(rows[2]).toMatchObject({ baseline: 0, comparison: 0.1, totalDelta: 0 });
  });

  it('keeps a function only one profile has', () => {
    const rows = diffFunctions(topFunctions(profileOf({ 'main>old': 1 })), topFunctions(profileOf({ 'main>new': 1 })));
    expect(rows.map((r) => [r.function, r.baseline, r.comparison])).toEqual([
      ['new', 0, 1],
      ['old', 1, 0],
      ['main', 0, 0],
    ]);
  });
});
