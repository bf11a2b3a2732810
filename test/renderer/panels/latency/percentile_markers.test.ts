// The histogram's percentile markers: every run's, in its own place among the runs, equal
// percentiles sharing a label, and no label overlapping another.
import { describe, expect, it } from 'vitest';

import { labelWidth, percentileMarkers, placeLabels } from '../../../../renderer/src/panels/latency/percentile_markers';
import { profileRun } from './profile_run';

/** Whether any two labels on the same level overlap. */
function overlaps(labels: { x: number; width: number; level: number }[]): boolean {
  return labels.some((a, i) => labels.some((b, j) => i !== j && a.level === b.level && Math.abs(a.x - b.x) < (a.width + b.width) / 2));
}

describe('percentile markers', () => {
  it('put labels that would touch on different levels, and apart ones on the first', () => {
    expect(
      placeLabels([
        { x: 100, width: 30 },
        { x: 300, width: 30 },
      ]),
    ).toEqual([0, 0]);
    expect(
      placeLabels([
        { x: 100, width: 30 },
        { x: 110, width: 30 },
        { x: 120, width: 30 },
        { x: 160, width: 30 },
      ]),
    ).toEqual([0, 1, 2, 0]);
    // Given in any order: placed left to right.
    expect(
      placeLabels([
        { x: 120, width: 30 },
        { x: 100, width: 30 },
      ]),
    ).toEqual([1, 0]);
  });

  it("mark every run's percentiles, in its colour's place, labels apart", () => {
    const runs = [profileRun(1, 10_000, 9_000, 2_300_000), profileRun(2, 10_000, 10_000, 2_000_000), profileRun(3, 500, 20_000, 900_000)];
    const markers = percentileMarkers(runs, [5000, 5_000_000], 700);
    expect(markers).toHaveLength(12);
    expect(markers.filter((m) => m.run === 2).map((m) => m.label)).toEqual(['p50', 'p90', 'p99', 'p99.9']);
    expect(markers.some((m) => m.level > 0)).toBe(true);
    expect(overlaps(markers.map((m) => ({ ...m, width: labelWidth(m.label) })))).toBe(false);
    for (const m of markers) {
      expect(m.x).toBeGreaterThanOrEqual(0);
      expect(m.x).toBeLessThanOrEqual(700);
    }
  });

  it("give a 1-call run's equal percentiles one label", () => {
    const markers = percentileMarkers([profileRun(1, 1, 132_000)], [100_000, 200_000], 700);
    expect(markers).toEqual([{ run: 0, label: 'p50–p99.9', ns: 132_000, x: expect.closeTo((700 * Math.log(1.32)) / Math.log(2), 6), level: 0 }]);
  });
});
