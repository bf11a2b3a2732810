// Coverage end to end, as the other browser tests run the inspector: Chromium against
// `microscope serve` with the real engine, the demo guest on the emulated backend. fib(5)
// from the Functions panel: demo.c's lines executed with their counts, add's not executed,
// a comment unmarked; fib's instructions counted in the Disassembly; the lcov export; a
// list of calls; a CPU profile's counts and coverage hiding each other; Hide coverage.
// Its pictures are `npm run -s screenshots -- coverage coverage`'s.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';

import { listCoverageCalls, recordCpuProfile, runCoverage } from '../../native/node/tools/inspector_steps.js';
import { artifacts, servedInspector } from './served_inspector.js';

const inspector = servedInspector('failed-coverage-');
let page: Page;
beforeAll(() => {
  page = inspector.page;
});

const panel = (name: string) => page.getByRole('region', { name });
const form = () => page.getByRole('form', { name: 'Call fib' });
const source = () => panel('Source');
/** Coverage's mark on a line of demo.c: its state and count, or null for none. */
const mark = (line: number) =>
  source()
    .locator(`.cm-overlay-gutter .coverage-mark[data-line="${line}"]`)
    .evaluateAll((marks) =>
      marks[0]
        ? {
            state: marks[0].classList.contains('executed') ? 'executed' : 'not-executed',
            count: Number(marks[0].getAttribute('data-count')),
            text: marks[0].textContent,
          }
        : null,
    );
const lineText = (line: number) =>
  source()
    .locator('.cm-line')
    .nth(line - 1)
    .textContent();
const summary = () => source().getByLabel('Coverage summary').textContent();
const column = () =>
  panel('Disassembly')
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => ({
        symbol: row.querySelector('td.symbol')?.textContent,
        cell: row.querySelector('td.count')?.className,
        count: Number(row.querySelector('td.count')?.getAttribute('data-count')),
      })),
    );

describe('coverage of fib(5)', () => {
  it('marks the lines of demo.c it executed with their counts, the others not executed, comments not at all', async () => {
    await expect
      .poll(() =>
        panel('Functions')
          .getByRole('button', { name: /\bfib\(/ })
          .count(),
      )
      .toBe(1);
    await runCoverage(page, '5');
    await expect.poll(() => source().getByLabel('Source file').inputValue()).toMatch(/demo\.c$/);
    await expect.poll(() => mark(13)).toEqual({ state: 'executed', count: 15, text: '15' });
    expect(await lineText(13)).toContain('if (n < 2) return n;');
    expect(await lineText(14)).toContain('fib(n - 1)');
    expect(await mark(14)).toEqual({ state: 'executed', count: 7, text: '7' });
    expect(await lineText(15)).toContain('fib(n - 2)');
    expect(await mark(15)).toEqual({ state: 'executed', count: 7, text: '7' });
    // add's body never ran; the comment above fib has no code.
    expect(await lineText(8)).toContain('return a + b;');
    expect(await mark(8)).toEqual({ state: 'not-executed', count: 0, text: '' });
    expect(await lineText(10)).toMatch(/^\/\* Recursive/);
    expect(await mark(10)).toBeNull();
    expect(await source().locator('[data-coverage-line="10"]').count()).toBe(0);
    expect(await source().locator('.cm-executed-line[data-coverage-line="13"]').count()).toBe(1);
    expect(await source().locator('.cm-not-executed-line[data-coverage-line="8"]').count()).toBe(1);
    expect(await source().locator('.coverage-mark[data-line="13"]').getAttribute('title')).toBe('Coverage: executed 15 times');
    expect(await source().getByRole('group', { name: 'Coverage' }).locator('strong').textContent()).toBe('fib(5)');
    expect(await summary()).toMatch(/^demo\.c: \d+ of \d+ lines \(\d+\.\d%\) · all files: \d+ of \d+ lines \(\d+\.\d%\)$/);
  });

  it("counts fib's instructions in the Disassembly", async () => {
    await expect.poll(async () => (await column()).filter((row) => row.cell === 'count executed').length).toBeGreaterThan(5);
    const rows = await column();
    expect(rows.every((row) => row.symbol === 'fib' || row.symbol!.startsWith('fib+'))).toBe(true);
    // Its entry ran once a call: 15 times.
    expect(rows[0]).toEqual({ symbol: 'fib', cell: 'count executed', count: 15 });
    // The recursive calls' instructions ran 7 times, the rest once a call.
    expect(new Set(rows.map((row) => row.count))).toEqual(new Set([15, 7]));
    expect(await panel('Disassembly').getByLabel('Coverage note').textContent()).toBe('Coverage of fib(5)');
  });

  it('exports an lcov tracefile', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), source().getByRole('button', { name: 'Export lcov' }).click()]);
    expect(download.suggestedFilename()).toBe('fib.info');
    const path = join(artifacts, download.suggestedFilename());
    await download.saveAs(path);
    const lcov = readFileSync(path, 'utf8');
    expect(lcov).toContain('FNDA:15,fib\n');
    expect(lcov).toMatch(/\nDA:13,15\n/);
  });
});

describe('coverage of a list of calls', () => {
  it('adds up every call of the list', async () => {
    await listCoverageCalls(form());
    expect(await form().getByRole('textbox', { name: 'Calls' }).inputValue()).toBe('["5"]\n');
    await form().getByLabel('n', { exact: true }).fill('3');
    await form().getByRole('button', { name: 'Add these arguments' }).click();
    expect(await form().getByRole('textbox', { name: 'Calls' }).inputValue()).toBe('["5"]\n["3"]\n');
    await form().getByRole('button', { name: 'Run coverage of 2 calls' }).click();
    // fib(5) is 15 calls of fib, fib(3) 5 more.
    await expect.poll(() => mark(13)).toEqual({ state: 'executed', count: 20, text: '20' });
    expect(await source().getByRole('group', { name: 'Coverage' }).locator('strong').textContent()).toBe('fib × 2 calls');
  });

  it("hides a CPU profile's counts, and is hidden by them", async () => {
    await page.getByRole('tab', { name: 'CPU profile' }).click();
    await recordCpuProfile(page, '5', 1);
    const showCounts = panel('CPU profile').getByRole('button', { name: 'Show counts in the code' });
    await expect.poll(() => showCounts.count()).toBe(1);
    await showCounts.click();
    const heat = source().locator('.cm-overlay-gutter .heat-count');
    await expect.poll(() => heat.count()).toBeGreaterThan(0);
    expect(await source().locator('.coverage-mark').count()).toBe(0);
    expect(await source().getByLabel('Coverage summary').count()).toBe(0);
    // Coverage again: the profile's heat goes.
    await form().getByLabel('n', { exact: true }).fill('5');
    await form().getByRole('button', { name: 'Coverage', exact: true }).click();
    await expect.poll(() => mark(13)).toEqual({ state: 'executed', count: 15, text: '15' });
    expect(await heat.count()).toBe(0);
    await expect.poll(() => showCounts.count()).toBe(1);
  });

  it('clears every mark with Hide coverage', async () => {
    await source().getByRole('button', { name: 'Hide coverage' }).click();
    await expect.poll(() => source().locator('.coverage-mark').count()).toBe(0);
    expect(await source().locator('.cm-executed-line, .cm-not-executed-line').count()).toBe(0);
    expect(await panel('Disassembly').locator('td.count').count()).toBe(0);
    expect(await panel('Disassembly').getByLabel('Coverage note').count()).toBe(0);
  });
});
