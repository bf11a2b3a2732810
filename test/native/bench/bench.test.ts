// `npm run bench` runs end to end and reports every case, each beside its floor. The
// figures themselves are not tested: these machines are shared and noisy.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { projectRoot } from '../../helpers.js';

describe('the benchmark', () => {
  it('measures every case and ends with one JSON line', () => {
    const result = spawnSync(process.execPath, [join(projectRoot, 'dist/native/bench/main.js'), '--json', '--iterations', '2000'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const { cases } = JSON.parse(lines[0]!) as { cases: { name: string; engine_ns: number; floor_ns?: number; ratio?: number }[] };
    expect(cases.map((c) => c.name)).toEqual(['cold_start', 'warm_call', 'restore_call', 'warm_call_js', 'host_call_js']);
    for (const c of cases) {
      expect(c.engine_ns).toBeGreaterThan(0);
      if (c.floor_ns !== undefined) expect(c.ratio).toBeCloseTo(c.engine_ns / c.floor_ns, 1);
    }
    expect(cases.filter((c) => c.floor_ns !== undefined).map((c) => c.name)).toEqual(['cold_start', 'warm_call', 'restore_call']);
  });
});
