// A profile run as the engine sends one, for the Latency panel's tests: `calls` calls
// spread evenly (on a log scale) from `fastest` to `slowest` ns.
import type { WireProfileRun } from '../../../../native/common/protocol/messages';

export function profileRun(id: number, calls: number, fastest: number, slowest = fastest, label = `f() warm · emulated`): WireProfileRun {
  const at = (share: number) => fastest * (slowest / fastest) ** share;
  const summary = {
    count: calls,
    min: fastest,
    mean: at(0.5),
    stdev: 1,
    p50: at(0.5),
    p75: at(0.75),
    p90: at(0.9),
    p99: at(0.99),
    p99_9: at(0.999),
    p99_99: at(0.9999),
    max: slowest,
  };
  if (calls === 1) for (const key of Object.keys(summary) as (keyof typeof summary)[]) if (key !== 'count' && key !== 'stdev') summary[key] = fastest;
  const bins = Array.from({ length: 10 }, (_, i) => ({ fromNs: Math.round(at(i / 10)), toNs: Math.round(at((i + 1) / 10)), count: i === 0 ? calls : 0 }));
  return {
    id,
    label,
    imported: false,
    hasRows: false,
    cpuProfileId: null,
    bins: calls === 1 ? [{ fromNs: fastest, toNs: fastest + 1, count: 1 }] : bins,
    curve: calls === 1 ? [{ percentile: 100, valueNs: fastest }] : [0, 50, 90, 99, 99.9, 100].map((p) => ({ percentile: p, valueNs: at(p / 100) })),
    profile: {
      format: 'microscope-profile/1',
      function: 'f',
      args: [],
      mode: 'warm',
      backend: 'emulated',
      iterations: calls,
      warmupIterations: 0,
      cancelled: false,
      wallMs: 1,
      startedAt: '',
      machine: { host: 'h', cpu: 'c', cpus: 1, node: 'v20' },
      summary,
      warmup: null,
      phases: { create: 0, restore: 0, run: summary.mean, host: 0, engine: 0 },
      histogram: 'HISTF',
    },
  };
}
