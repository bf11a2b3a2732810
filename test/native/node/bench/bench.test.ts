// `npm run bench` runs end to end and reports every case, each beside its floor, in
// rounds. The figures themselves are not tested: these machines are shared and noisy.
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { Sandbox } from '../../../../native/node/api/index.js';
import { demoGuestPath, projectRoot } from '../../../helpers.js';
import { runProgram } from '../../../programs.js';

// Progress goes to stderr as each case starts: a hang names the case.
const bench = (...args: string[]) => runProgram(process.execPath, [join(projectRoot, 'dist/native/node/bench/main.js'), ...args], { silenceMs: 600_000 });

/** The cases measured against a floor on either backend, in the order the report gives them. */
const engineCases = [
  'cold_start',
  'warm_call',
  'restore_call',
  'warm_call_js',
  'host_call_js',
  'cold_start_1gib',
  'restore_call_1gib',
  'sqlite_select',
  'sqlite_call_overhead',
  'traced_fib20',
  'profile_exact_fib20',
  'profile_sampled',
  'profile_exact_sqlite',
  'record_overhead_fib20',
  'record_overhead_sqlite',
  'variables_frame',
];

describe('the benchmark', () => {
  it('measures every case and ends with one JSON line', async () => {
    const result = await bench('--json', '--iterations', '2000', '--rounds', '4');
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const { backend, nested, cases } = JSON.parse(lines[0]!) as {
      backend: string;
      nested: boolean;
      cases: { name: string; engine_ns: number; floor_ns?: number; ratio?: number; spread?: [number, number]; rounds?: number }[];
    };
    expect(backend).toBe('emulated');
    expect(nested).toBe(false);
    expect(cases.map((c) => c.name)).toEqual([
      'cold_start',
      'warm_call',
      'restore_call',
      'warm_call_js',
      'host_call_js',
      'cold_start_1gib',
      'restore_call_1gib',
      'sqlite_select',
      'sqlite_call_overhead',
      'timeout_overshoot',
      'traced_fib20',
      'step_disasm',
      'profile_exact_fib20',
      'profile_sampled',
      'profile_exact_sqlite',
      'record_overhead_fib20',
      'reverse_step',
      'last_write',
      'record_overhead_sqlite',
      'variables_frame',
      'ui_step_repaint',
      'ui_scroll_frame',
      'ui_line_step',
      'ui_source_scroll',
      'ui_profile_render',
    ]);
    for (const c of cases) {
      expect(c.engine_ns).toBeGreaterThan(0);
      if (c.floor_ns === undefined) continue;
      // The ratio is the median of the rounds' ratios: within their spread.
      const [low, high] = c.spread!;
      expect(low).toBeLessThanOrEqual(c.ratio!);
      expect(c.ratio).toBeLessThanOrEqual(high);
      expect(c.rounds).toBe(c.name.startsWith('ui_') ? 3 : 4);
    }
    expect(cases.filter((c) => c.floor_ns !== undefined).map((c) => c.name)).toEqual([
      ...engineCases,
      'ui_step_repaint',
      'ui_scroll_frame',
      'ui_line_step',
      'ui_source_scroll',
      'ui_profile_render',
    ]);
  }, 1_800_000);

  it('runs on KVM against the KVM floor, or says why KVM cannot run', async () => {
    const auto = await Sandbox.create(demoGuestPath);
    const kvmWorks = auto.backend === 'kvm';
    auto.dispose();
    const result = await bench('--backend', 'kvm', '--json', '--iterations', '200');
    if (kvmWorks) {
      expect(result.status).toBe(0);
      const report = JSON.parse(result.stdout.trim()) as { backend: string; cases: { name: string; floor_ns?: number }[] };
      expect(report.backend).toBe('kvm');
      // On KVM, recording is measured against recording on the emulated backend.
      const onKvm = engineCases.flatMap((name) =>
        name === 'record_overhead_fib20' ? ['record_on_kvm_fib20'] : name === 'record_overhead_sqlite' ? [] : [name],
      );
      expect(report.cases.filter((c) => c.floor_ns! > 0).map((c) => c.name)).toEqual(onKvm);
    } else {
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^bench: the KVM backend can't be used: \S.*\n$/);
    }
  });

  it('rejects a backend it does not know', async () => {
    const result = await bench('--backend', 'qemu');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('bench: --backend must be emulated or kvm\n');
  });
});
