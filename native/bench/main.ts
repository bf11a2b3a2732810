// npm run -s bench -- [--json] [--iterations N] [--backend emulated|kvm] [--no-ui]
//
// The engine against a floor measured in the same run: the least work the same
// libunicorn (floor.c) or /dev/kvm (floor_kvm.c) needs for each case, with none of the
// engine; a traced call against the same call untraced. Medians; the last line of output is
// {"backend","nested","cases":[{"name","engine_ns","floor_ns","ratio"}]}. "nested": the
// machine is itself a VM, so KVM here is nested and its exits cost far more than on
// bare metal.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';

import { demoGuestPath, projectRoot } from '../lib/paths.js';
import { inspectorCases } from './inspector.js';
import { Sandbox } from '../lib/sandbox.js';

interface Case {
  name: string;
  engine_ns: number;
  floor_ns?: number;
  ratio?: number;
}

const guest = resolve(projectRoot, 'dist/bench/guest.elf');
const floorPrograms = {
  emulated: { path: resolve(projectRoot, 'dist/bench/floor'), what: 'libunicorn directly' },
  kvm: { path: resolve(projectRoot, 'dist/bench/floor-kvm'), what: '/dev/kvm directly' },
};

function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function backendOption(): 'emulated' | 'kvm' {
  const index = process.argv.indexOf('--backend');
  const value = index < 0 ? 'emulated' : process.argv[index + 1];
  if (value !== 'emulated' && value !== 'kvm') throw new Error('--backend must be emulated or kvm');
  return value;
}

/** The CPU says it runs under a hypervisor: KVM here is nested. */
function underHypervisor(): boolean {
  try {
    return /^flags\s*:.*\bhypervisor\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
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

  const backend = backendOption();
  const nested = backend === 'kvm' && underHypervisor();
  log(`Microscope benchmark: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
  log(`backend: ${backend}${nested ? ' (nested: this machine is a VM, its KVM exits cost far more than on bare metal)' : ''}`);
  const sandbox = await Sandbox.create(guest, {
    backend,
    restore: false,
    hostFunctions: { ping: { params: ['u32'], returns: 'u64', fn: (i: number) => BigInt(i) } },
  });
  try {
    // The floor after the sandbox: a backend the engine can't run fails first, with its reason.
    const floorProgram = floorPrograms[backend];
    log(`floor: ${floorProgram.path} (${floorProgram.what}), ${iterations} iterations`);
    const floor = JSON.parse(execFileSync(floorProgram.path, [guest, String(iterations)], { encoding: 'utf8' })) as Record<
      string,
      number
    >;
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
      ...(await demoCases(backend, iterations, log)),
      ...(await uiCases(backend, log)),
    ];
    for (const c of cases) {
      c.engine_ns = Math.round(c.engine_ns);
      if (c.floor_ns) c.floor_ns = Math.round(c.floor_ns);
      if (c.floor_ns) c.ratio = Math.round((c.engine_ns / c.floor_ns) * 100) / 100;
    }

    log('');
    log('case                engine ns    floor ns   ratio');
    for (const c of cases) {
      log(
        `${c.name.padEnd(18)} ${String(c.engine_ns).padStart(10)} ${String(c.floor_ns ?? '').padStart(11)} ${
          c.ratio === undefined ? '' : `${c.ratio.toFixed(2)}×`.padStart(7)
        }`,
      );
    }
    process.stdout.write(JSON.stringify({ backend, nested, cases }) + '\n');
  } finally {
    sandbox.dispose();
  }
}

// On the demo guest: how long after its timeout a spinning call ends (the target: within
// 10 ms); the debugger's costs: a traced fib(20) against the same call untraced (the goal:
// under 3x), and single steps with the instruction disassembled at each, as a debugger's
// UI does them.
async function demoCases(backend: 'emulated' | 'kvm', iterations: number, log: (line: string) => void): Promise<Case[]> {
  const demo = await Sandbox.create(demoGuestPath, { backend });
  try {
    const timeoutMs = 5;
    const overshoots: number[] = [];
    for (let i = 0; i < 20; i++) {
      const start = process.hrtime.bigint();
      await demo.invoke('spin', [], { timeoutMs }).catch(() => undefined);
      overshoots.push(Number(process.hrtime.bigint() - start) - timeoutMs * 1e6);
    }

    const runs = backend === 'kvm' ? 1 : Math.max(3, Math.min(20, Math.floor(iterations / 5000)));
    const untraced = median((await demo.measure('fib', [20], { mode: 'restore', iterations: runs })).totalNs);
    const traced: number[] = [];
    for (let i = 0; i < runs; i++) traced.push((await demo.trace('fib', [20])).durationNs);

    const steps = Math.min(iterations, 20_000);
    const session = await demo.debug('fib', [25]);
    const start = process.hrtime.bigint();
    for (let i = 0; i < steps; i++) {
      const stop = await session.stepInstruction();
      demo.disassemble(stop.rip, 1);
    }
    const perStep = Number(process.hrtime.bigint() - start) / steps;
    session.end();
    log(`debugger: ${steps} single steps with disassembly at ${Math.round(1e9 / perStep)} steps/s; fib(20) traced over ${runs} runs`);
    return [
      { name: 'timeout_overshoot', engine_ns: median(overshoots) },
      { name: 'traced_fib20', engine_ns: median(traced), floor_ns: untraced },
      { name: 'step_disasm', engine_ns: perStep },
    ];
  } finally {
    demo.dispose();
  }
}

// The inspector's responsiveness (inspector.ts), where Chromium and playwright-core are
// (not in the nested KVM guest of bench:kvm, which has Node and the addon only).
async function uiCases(backend: 'emulated' | 'kvm', log: (line: string) => void): Promise<Case[]> {
  if (process.argv.includes('--no-ui')) return [];
  try {
    return await inspectorCases(backend, log);
  } catch (error) {
    log(`inspector: not measured: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    return [];
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
