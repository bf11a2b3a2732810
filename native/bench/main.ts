// npm run -s bench -- [--json] [--iterations N]
//
// The engine against a floor measured in the same run: floor.c does the least work the
// same libunicorn needs for each case, with none of the engine. Medians; the last line
// of output is {"cases":[{"name","engine_ns","floor_ns","ratio"}]}.
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { resolve } from 'node:path';

import { projectRoot } from '../lib/paths.js';
import { Sandbox } from '../lib/sandbox.js';

interface Case {
  name: string;
  engine_ns: number;
  floor_ns?: number;
  ratio?: number;
}

const guest = resolve(projectRoot, 'dist/bench/guest.elf');
const floorProgram = resolve(projectRoot, 'dist/bench/floor');

function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} needs a whole number of 1 or more`);
  return value;
}

/** Nanoseconds per iteration of `body`, as the median over batches of `batch` runs. */
async function perCall(batches: number, batch: number, body: () => Promise<unknown>): Promise<number> {
  const means: number[] = [];
  for (let b = 0; b < batches; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) await body();
    means.push(Number(process.hrtime.bigint() - start) / batch);
  }
  return median(means);
}

async function main(): Promise<void> {
  const iterations = option('iterations', 100_000);
  const coldIterations = Math.min(iterations, 2_000);
  const json = process.argv.includes('--json');
  const log = (line: string) => {
    if (!json) process.stdout.write(line + '\n');
  };

  log(`Microscope benchmark: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
  log(`floor: ${floorProgram} (libunicorn directly), ${iterations} iterations`);
  const floor = JSON.parse(execFileSync(floorProgram, [guest, String(iterations)], { encoding: 'utf8' })) as Record<
    string,
    number
  >;

  const sandbox = await Sandbox.create(guest, {
    restore: false,
    hostFunctions: { ping: { params: ['u32'], returns: 'u64', fn: (i: number) => BigInt(i) } },
  });
  try {
    const cold = await sandbox.measure('add', [40n, 2n], { mode: 'cold', iterations: coldIterations });
    const warm = await sandbox.measure('add', [40n, 2n], { mode: 'warm', iterations });
    const restore = await sandbox.measure('touch4', [1n], { mode: 'restore', iterations });
    await perCall(1, Math.min(iterations, 20_000), () => sandbox.call('add', 40n, 2n)); // JIT and caches warm up
    const warmJs = await perCall(50, Math.max(1, Math.floor(iterations / 50)), () => sandbox.call('add', 40n, 2n));
    const roundTrips = 1000;
    const hostJs = (await perCall(20, Math.max(1, Math.floor(iterations / 20 / roundTrips)), () => sandbox.call('ping_host', roundTrips))) / roundTrips;

    const cases: Case[] = [
      { name: 'cold_start', engine_ns: median(cold.totalNs), floor_ns: floor.cold_start },
      { name: 'warm_call', engine_ns: median(warm.totalNs), floor_ns: floor.warm_call },
      { name: 'restore_call', engine_ns: median(restore.totalNs), floor_ns: floor.restore_call },
      { name: 'warm_call_js', engine_ns: warmJs },
      { name: 'host_call_js', engine_ns: hostJs },
    ];
    for (const c of cases) {
      c.engine_ns = Math.round(c.engine_ns);
      if (c.floor_ns) c.ratio = Math.round((c.engine_ns / c.floor_ns) * 100) / 100;
    }

    log('');
    log('case            engine ns    floor ns   ratio');
    for (const c of cases) {
      log(
        `${c.name.padEnd(14)} ${String(c.engine_ns).padStart(10)} ${String(c.floor_ns ?? '').padStart(11)} ${
          c.ratio === undefined ? '' : `${c.ratio.toFixed(2)}×`.padStart(7)
        }`,
      );
    }
    process.stdout.write(JSON.stringify({ cases }) + '\n');
  } finally {
    sandbox.dispose();
  }
}

await main();
