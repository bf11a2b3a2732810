// microscope coverage, run as a user runs it: one call or a .jsonl file of calls, the lcov
// file it writes, the summary, and its refusals.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { projectRoot } from '../../../helpers.js';

function microscope(...args: string[]) {
  const result = spawnSync(process.execPath, [join(projectRoot, 'dist/native/node/cli/main.js'), ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'microscope-coverage-'));

describe('microscope coverage', () => {
  it('writes the lines a list of calls ran, counted, and sums them up', () => {
    const calls = join(dir, 'calls.jsonl');
    writeFileSync(calls, '[5]\n[1]\n\n["3"]\n');
    const lcov = join(dir, 'fib.info');
    const { status, stdout, value } = (() => {
      const run = microscope('coverage', 'demo', 'fib', '--calls', calls, '--lcov', lcov, '--backend', 'emulated', '--json');
      return {
        ...run,
        value: JSON.parse(run.stdout) as {
          calls: number;
          exact: boolean;
          lines: { hit: number; total: number };
          files: { path: string; hit: number }[];
          failures: unknown[];
        },
      };
    })();
    expect(status, stdout).toBe(0);
    expect(value).toMatchObject({ calls: 3, exact: true, failures: [] });
    const demo = value.files.find((f) => f.path.endsWith('demo.c'))!;
    expect(demo.hit).toBe(5); // fib's own five lines
    // fib(5), fib(1), fib(3): 15 + 1 + 5 calls.
    expect(readFileSync(lcov, 'utf8')).toContain('FNDA:21,fib\n');
    const text = microscope('coverage', 'demo', 'fib', '4', '--lcov', lcov, '--backend', 'emulated');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^fib: 1 call on emulated, lines counted$/m);
    expect(text.stdout).toMatch(/^ +[\d.]+% +5\/\d+ +demo\.c$/m);
  });

  it('refuses what it cannot run, saying where', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '[5]\n[1, 2]\n');
    expect(microscope('coverage', 'demo', 'fib', '--calls', bad, '--lcov', join(dir, 'x.info'))).toMatchObject({
      status: 2,
      stderr: `usage: coverage: ${bad}:2: fib takes 1 argument (u64 fib(u32 n)), got 2\n`,
    });
    writeFileSync(bad, '{"n": 5}\n');
    expect(microscope('coverage', 'demo', 'fib', '--calls', bad, '--lcov', join(dir, 'x.info')).stderr).toMatch(
      /:1 must be a JSON array of the call's arguments/,
    );
    expect(microscope('coverage', 'demo', 'fib', '3').stderr).toBe('usage: coverage: --lcov FILE is required\n');
    expect(microscope('coverage', 'demo', 'fib', '3', '--calls', bad, '--lcov', join(dir, 'x.info')).stderr).toBe(
      'usage: coverage: give the arguments or --calls, not both\n',
    );
    expect(microscope('coverage', 'demo', 'fib', '3', '--lcov', join(dir, 'no/such/dir/x.info')).stderr).toMatch(
      /^usage: coverage: can't write .*no\/such\/dir\/x\.info/,
    );
  });
});
