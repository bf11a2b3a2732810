// Coverage through the Node API on the emulated backend, where it is exact, and its lcov
// tracefile read back by lcov itself and rendered by genhtml without a warning. (KVM's
// one-shot breakpoints are held to the same lines by the conformance suite's "coverage".)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Sandbox, toLcov, type Coverage, type CoverageFile } from '../../../../native/node/api/index.js';
import { demoGuestPath } from '../../../helpers.js';

function demoFile(coverage: Coverage): CoverageFile {
  const file = coverage.files.find((f) => f.path.endsWith('/native/demo/demo.c'));
  expect(file, 'demo.c is among the files').toBeDefined();
  return file!;
}

/** The line of demo.c that holds `text`. */
function lineOf(text: string): number {
  return (
    readFileSync(demoFile(covered).path, 'utf8')
      .split('\n')
      .findIndex((line) => line.includes(text)) + 1
  );
}

let sandbox: Sandbox;
let covered: Coverage;
beforeAll(async () => {
  sandbox = await Sandbox.create(demoGuestPath, { backend: 'emulated' });
  covered = await sandbox.coverage('fib', [[5], [1]]);
});
afterAll(() => sandbox.dispose());

describe('coverage', () => {
  it('counts each line and function as often as it ran', () => {
    expect(covered).toMatchObject({ exact: true, calls: 2, failures: [] });
    const demo = demoFile(covered);
    const count = new Map(demo.lines);
    // fib(5) makes 15 calls, 7 of which recurse; fib(1) one, which doesn't.
    expect(count.get(lineOf('if (n < 2) return n;'))).toBe(16);
    expect(count.get(lineOf('uint64_t left = fib(n - 1);'))).toBe(7);
    expect(count.get(lineOf('uint64_t right = fib(n - 2);'))).toBe(7);
    expect(count.get(lineOf('return a + b;'))).toBe(0);
    expect(demo.functions.find((f) => f.name === 'fib')).toEqual({ name: 'fib', line: lineOf('MICROSCOPE_FN(u64, fib'), count: 16 });
    expect(demo.functions.find((f) => f.name === 'sha256')?.count).toBe(0);
    // Lines without code are in no list; every line listed has code.
    expect(count.has(lineOf('/* ---- SHA-256'))).toBe(false);
    // Each instruction of fib ran as often as the line it belongs to began, or more.
    const fib = sandbox.resolve('fib');
    expect(new Map(covered.instructions).get(Number(fib))).toBe(16);
  });

  it('goes on past a call that fails, and names it', async () => {
    const coverage = await sandbox.coverage('divide', [
      [1, 0],
      [9, 3],
    ]);
    expect(coverage.calls).toBe(2);
    expect(coverage.failures).toHaveLength(1);
    expect(coverage.failures[0]!.call).toBe(0);
    expect(coverage.failures[0]!.error.message).toMatch(/#DE/);
    expect(demoFile(coverage).functions.find((f) => f.name === 'divide')?.count).toBe(2);
    await expect(sandbox.coverage('divide', [])).rejects.toThrow(/at least one call/);
    await expect(sandbox.coverage('divide', [[1]])).rejects.toThrow(/argument/);
  });

  it('writes an lcov tracefile that lcov reads and genhtml renders without a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'microscope-lcov-'));
    const info = join(dir, 'fib.info');
    writeFileSync(info, toLcov(covered, 'fib'));
    const text = readFileSync(info, 'utf8');
    expect(text).toMatch(new RegExp(`^SF:.*/native/demo/demo\\.c$`, 'm'));
    expect(text).toContain(`DA:${lineOf('if (n < 2) return n;')},16\n`);
    expect(text).toContain('FNDA:16,fib\n');

    const summary = spawnSync('lcov', ['--summary', info], { encoding: 'utf8' });
    expect(summary.error, 'lcov is installed (npm run setup installs it)').toBeUndefined();
    expect(summary.status).toBe(0);
    const hit = covered.files.reduce((n, f) => n + f.lines.filter(([, c]) => c > 0).length, 0);
    const total = covered.files.reduce((n, f) => n + f.lines.length, 0);
    expect(summary.stdout + summary.stderr).toMatch(new RegExp(`lines\\.+: [\\d.]+% \\(${hit} of ${total} lines\\)`));

    const html = spawnSync('genhtml', ['--output-directory', join(dir, 'html'), info], { encoding: 'utf8' });
    expect(html.status).toBe(0);
    expect(html.stderr).toBe('');
    expect(html.stdout).not.toMatch(/warning/i);
    // genhtml drops the files' common prefix: demo.c's page is under demo/.
    const page = readFileSync(join(dir, 'html/demo/demo.c.gcov.html'), 'utf8');
    expect(page).toContain('if (n &lt; 2) return n;');
  });
});
