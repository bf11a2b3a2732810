// `npm run soak` runs end to end at a hundredth of its size: every outcome right, no file
// descriptor or thread left behind. Its memory figures are the full run's to report (a
// hundredth of it is mostly warm-up).
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { projectRoot } from '../../../helpers.js';
import { runProgram } from '../../../programs.js';

describe('the soak', () => {
  it('runs every stage with every outcome right and nothing leaked', async () => {
    const result = await runProgram(
      process.execPath,
      ['--expose-gc', '--max-semi-space-size=1', join(projectRoot, 'dist/native/node/bench/soak.js'), '--scale', '0.01'],
      { silenceMs: 600_000 },
    );
    const report = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as {
      problems: { kind: string; what: string }[];
      stages: { stage: string; iterations: number; first: { fds: number; threads: number }; last: { fds: number; threads: number }; rssSamples: number[] }[];
    };
    expect(report.stages.map((s) => [s.stage, s.iterations])).toEqual([
      ['create, call and dispose a sandbox', 1000],
      ['call with restore, one sandbox', 10000],
      ['spin, cancelled', 100],
    ]);
    expect(report.problems.filter((p) => p.kind !== 'memory')).toEqual([]);
    for (const stage of report.stages) {
      expect(stage.last.fds).toBeLessThanOrEqual(stage.first.fds);
      expect(stage.last.threads).toBeLessThanOrEqual(stage.first.threads);
      expect(stage.rssSamples.length).toBeGreaterThanOrEqual(10);
    }
  }, 1_800_000);
});
