// microscope profile, run as a user runs it: the top functions table, the JSON, the export
// files, the option errors, a sampled run and a Ctrl-C. Exact profiles run on the emulated
// backend whatever the suite's backend is: only it counts every instruction.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { projectRoot, testGuest } from '../../../helpers.js';
import type { FunctionRow } from '../../../../native/common/cpu_profile_tables.js';

const main = join(projectRoot, 'dist/native/node/cli/main.js');

function microscope(...args: string[]) {
  const result = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function json(...args: string[]) {
  const result = microscope('profile', ...args, '--json');
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return { status: result.status, stderr: result.stderr, value: JSON.parse(lines[0]!) };
}

const selfOf = (top: FunctionRow[], name: string) => top.find((row) => row.function === name)?.self;

describe('microscope profile: exact', () => {
  it('prints the header and the top functions, fib first with all of the total', () => {
    const { status, stdout, stderr } = microscope('profile', 'demo', 'fib', '15', '--iterations', '5', '--backend', 'emulated');
    expect(status).toBe(0);
    expect(stderr).toBe(''); // no progress: stderr is not a terminal here
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^fib\(15\) × 5 calls, restore, exact: \d+ instructions in [\d.]+ ms, emulated backend$/);
    expect(lines[1]).toMatch(/^ *self +self% +total +total% +function +location$/);
    expect(lines[2]).toMatch(/^ *\d+ +[\d.]+% +\d+ +100\.0% +fib +demo\.c$/);
  });

  it('prints one JSON object whose total is the sum of self', () => {
    const { status, value } = json('demo', 'fib', '15', '--iterations', '5', '--backend', 'emulated', '--top', '1000');
    expect(status).toBe(0);
    expect(Object.keys(value)).toEqual(['function', 'args', 'kind', 'unit', 'backend', 'mode', 'calls', 'total', 'durationNs', 'rateHz', 'top', 'files']);
    expect(value).toMatchObject({
      function: 'fib',
      args: ['15'],
      kind: 'exact',
      unit: 'instructions',
      backend: 'emulated',
      mode: 'restore',
      calls: 5,
      rateHz: null,
      files: {},
    });
    const top = value.top as FunctionRow[];
    expect(top[0]!.function).toBe('fib');
    expect(top[0]!.totalShare).toBeGreaterThan(0.999); // all but the engine's few instructions a call
    expect(top[0]!.file).toMatch(/demo\.c$/);
    expect(value.total).toBe(top.reduce((sum, row) => sum + row.self, 0));
    expect(value.durationNs).toBeGreaterThan(0);
    expect(json('demo', 'fib', '15', '--iterations', '5', '--backend', 'emulated', '--top', '1').value.top).toHaveLength(1);
  });

  it('counts split(n) as n loop iterations in spin_once and 2n in spin_twice, exactly', () => {
    const guest = testGuest('profile_shape');
    const run = (n: number) => json(guest, 'split', String(n), '--iterations', '3', '--backend', 'emulated').value.top as FunctionRow[];
    const [small, large] = [run(1000), run(2000)];
    const [once1000, twice1000, once2000] = [selfOf(small, 'spin_once'), selfOf(small, 'spin_twice'), selfOf(large, 'spin_once')];
    expect(once1000).toBeGreaterThan(0);
    // spin_twice(2000) is spin_once(2000) by another name: the same instructions, so the same count.
    expect(twice1000).toBe(once2000);
    // And n more iterations cost the same in either: the loop's share grows, the call's fixed part doesn't.
    expect(twice1000! - once1000!).toBe(once2000! - once1000!);
    expect(small[0]!.function).toBe('spin_twice');
  });

  it('writes the four export files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'microscope-profile-'));
    const files = {
      pprof: join(dir, 'fib.pb.gz'),
      speedscope: join(dir, 'fib.speedscope.json'),
      folded: join(dir, 'fib.folded'),
      cpuprofile: join(dir, 'fib.cpuprofile'),
    };
    const options = Object.entries(files).flatMap(([format, file]) => [`--${format}`, file]);
    const { status, value } = json('demo', 'fib', '12', '--iterations', '3', '--backend', 'emulated', ...options);
    expect(status).toBe(0);
    expect(value.files).toEqual(files);
    const pprof = readFileSync(files.pprof);
    expect([pprof[0], pprof[1]]).toEqual([0x1f, 0x8b]);
    expect(Object.keys(JSON.parse(readFileSync(files.speedscope, 'utf8'))).length).toBeGreaterThan(0);
    expect(Object.keys(JSON.parse(readFileSync(files.cpuprofile, 'utf8'))).length).toBeGreaterThan(0);
    expect(readFileSync(files.folded, 'utf8')).toMatch(/fib \d+$/m);
  });

  it('names the file it could not write', () => {
    const file = join(tmpdir(), 'microscope-no-such-dir', 'fib.folded');
    const { status, stderr } = microscope('profile', 'demo', 'fib', '5', '--iterations', '1', '--backend', 'emulated', '--folded', file);
    expect(status).toBe(2);
    expect(stderr).toMatch(new RegExp(`^usage: profile: can't write ${file}: ENOENT`));
  });
});

describe('microscope profile: sampled', () => {
  it('samples the calls for a duration on the emulated backend', () => {
    const args = ['demo', 'fib', '20', '--kind', 'sampled', '--rate', '2000', '--duration', '0.3', '--backend', 'emulated'];
    const { status, value } = json(...args);
    expect(status).toBe(0);
    expect(value).toMatchObject({ kind: 'sampled', unit: 'samples', rateHz: 2000 });
    expect(value.total).toBeGreaterThan(0);
    expect(value.calls).toBeGreaterThan(0);
    expect(value.durationNs).toBeGreaterThanOrEqual(300e6);
    const text = microscope('profile', ...args).stdout.split('\n');
    expect(text[0]).toMatch(/^fib\(20\) × \d+ calls, restore, sampled at 2000 Hz: \d+ samples \([\d.]+ ms\) in [\d.]+ ms, emulated backend/);
    expect(text[1]).toMatch(/^ *self +self ms +self% +total +total% +function +location$/);
  });
});

describe('microscope profile: bad input', () => {
  const fails = (...args: string[]) => microscope('profile', 'demo', 'fib', '5', '--backend', 'emulated', ...args);

  it('says which option is wrong and exits 2', () => {
    const cases: [string[], string][] = [
      [['--kind', 'sampled', '--rate', '0'], "usage: --rate must be a whole number of Hz from 1 to 100000, got '0'"],
      [['--kind', 'sampled', '--rate', '100001'], "usage: --rate must be a whole number of Hz from 1 to 100000, got '100001'"],
      [['--kind', 'sampled', '--rate', 'fast'], "usage: --rate must be a whole number of Hz from 1 to 100000, got 'fast'"],
      [['--kind', 'exact', '--rate', '500'], 'usage: profile: --rate is for a sampled profile (--kind sampled); an exact one counts every instruction'],
      [['--iterations', '5', '--duration', '1'], 'usage: profile: give --iterations or --duration, not both'],
      [['--iterations', '0'], "usage: --iterations must be a whole number of 1 or more, got '0'"],
      [['--iterations', '2.5'], "usage: --iterations must be a whole number of 1 or more, got '2.5'"],
      [['--duration', 'soon'], "usage: --duration must be a number of seconds above 0, got 'soon'"],
      [['--mode', 'hot'], "usage: --mode must be one of warm, restore, cold, got 'hot'"],
      [['--kind', 'precise'], "usage: --kind must be one of exact, sampled, got 'precise'"],
      [['--top', '0'], "usage: --top must be a whole number of 1 or more, got '0'"],
    ];
    for (const [options, message] of cases) expect(fails(...options)).toMatchObject({ status: 2, stdout: '', stderr: message + '\n' });
  });

  it('names a function the guest does not export', () => {
    const { status, stderr } = microscope('profile', 'demo', 'nope', '--backend', 'emulated');
    expect(status).toBe(2);
    expect(stderr).toMatch(/^usage: the guest exports no function 'nope'/);
    expect(json('demo', 'nope', '--backend', 'emulated').value.error).toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/^the guest exports no function 'nope'/),
    });
  });

  it('is listed by help', () => {
    expect(microscope('help').stdout).toContain('microscope profile GUEST FUNCTION [ARGS...]');
  });
});

describe('microscope profile: Ctrl-C', () => {
  it('ends the loop and still reports the calls made', async () => {
    const child = spawn(process.execPath, [main, 'profile', 'demo', 'fib', '15', '--duration', '60', '--backend', 'emulated', '--json']);
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    const closed = new Promise<number | null>((done) => child.on('close', done));
    // Ctrl-C once the command catches SIGINT (its bit in /proc's SigCgt) and has then run
    // the loop for 0.3 s of CPU time (not of the clock, which a busy machine stretches).
    const proc = (file: string) => readFileSync(`/proc/${child.pid}/${file}`, 'utf8');
    const cpuTicks = () =>
      proc('stat')
        .split(') ')[1]!
        .split(' ')
        .slice(11, 13)
        .map(Number)
        .reduce((a, b) => a + b, 0);
    const catchesSigint = () => (BigInt(`0x${/^SigCgt:\s*([0-9a-f]+)$/m.exec(proc('status'))![1]}`) & 2n) !== 0n;
    await expect.poll(catchesSigint, { timeout: 120_000, interval: 20 }).toBe(true);
    const caught = cpuTicks();
    await expect.poll(() => cpuTicks() - caught, { timeout: 120_000, interval: 20 }).toBeGreaterThanOrEqual(30);
    child.kill('SIGINT');
    const status = await closed;
    expect(status).toBe(0);
    const value = JSON.parse(stdout) as { calls: number; total: number; durationNs: number };
    expect(value.calls).toBeGreaterThan(0);
    expect(value.total).toBeGreaterThan(0);
    expect(value.durationNs).toBeLessThan(30e9);
  });
});
