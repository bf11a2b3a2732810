// The CPU profile view end to end, as the other browser tests run the inspector: Chromium
// against `microscope serve` with the real engine, the demo guest on the emulated backend.
// An exact profile of fib(15): its flame graph, its top functions, fib's counts over
// demo.c and its instructions, search and zoom, the Latency run's link back to it, an
// export and import, and a comparison with fib(10). Its pictures are
// `npm run -s screenshots -- cpu-profile cpu-profile`'s.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';

import { cpuProfileView, flameFrames, hoverFrame, openCpuProfile, recordCpuProfile, showProfileCounts } from '../../native/node/tools/inspector_steps.js';
import { artifacts, servedInspector } from './served_inspector.js';

const inspector = servedInspector('failed-cpu-profile-');
let page: Page;
beforeAll(() => {
  page = inspector.page;
});

const panel = (name: string) => page.getByRole('region', { name });
const view = () => cpuProfileView(page);
const settings = () => view().getByRole('form', { name: 'CPU profile settings' });
const flame = () => view().getByRole('group', { name: 'Flame graph', exact: true });
const frames = (name: string) => flameFrames(page, name);
const depths = (name: string) => frames(name).evaluateAll((all) => all.map((f) => Number(f.getAttribute('data-depth'))));
const tableRows = (name: string) =>
  view()
    .getByRole('table', { name })
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent)));
const zoomPath = () => view().getByRole('navigation', { name: 'Zoom path' });
const keptProfiles = () =>
  view()
    .getByLabel('Shown profile')
    .locator('option')
    .evaluateAll((options) => options.map((o) => o.textContent));

describe('an exact CPU profile of fib(15)', () => {
  it('records one, with the Latency run linking to it', async () => {
    await expect
      .poll(() =>
        panel('Functions')
          .getByRole('button', { name: /\bfib\(/ })
          .count(),
      )
      .toBe(1);
    await openCpuProfile(page);
    expect(await settings().getByLabel('Kind').inputValue()).toBe('exact');
    await settings().getByLabel('Mode').selectOption('warm');
    await recordCpuProfile(page, '15', 3);
    expect(await keptProfiles()).toEqual(['fib(15) exact · warm · emulated']);
    await expect.poll(() => view().getByLabel('Profile summary').textContent()).toMatch(/^3 calls, [\d,]+ instructions, .+ in all$/);

    // The same run is the Latency view's, and links back here.
    await page.getByRole('tab', { name: 'Latency' }).click();
    const link = panel('Latency').getByRole('button', { name: /^CPU profile of / });
    await expect.poll(() => link.count()).toBe(1);
    await link.click();
    await expect.poll(() => page.getByRole('tab', { name: 'CPU profile' }).getAttribute('aria-selected')).toBe('true');
    expect(await keptProfiles()).toEqual(['fib(15) exact · warm · emulated']);
  });

  it('draws fib nested in the flame graph, and tops the table with it', async () => {
    await expect.poll(() => depths('fib')).toEqual(expect.arrayContaining([1, 2, 3, 4, 5]));
    const fibDepths = await depths('fib');
    expect(new Set(fibDepths).size).toBe(fibDepths.length); // merged: one fib frame a level
    expect(await frames('all').count()).toBe(1);
    const [first] = await tableRows('Top functions');
    expect(first![0]).toBe('fib');
    expect(first![5]).toBe('100.0%');
  });

  it("shows fib's counts as a heat gutter on demo.c and a column in the Disassembly", async () => {
    await showProfileCounts(page, 'fib');
    await expect.poll(() => panel('Source').getByLabel('Source file').inputValue()).toMatch(/demo\.c$/);
    const heat = panel('Source').locator('.cm-overlay-gutter .heat-count');
    await expect.poll(() => heat.evaluateAll((marks) => marks.map((m) => Number(m.getAttribute('data-line'))))).toEqual([12, 13, 14, 15, 16, 17]);
    const counts = await heat.evaluateAll((marks) => marks.map((m) => Number(m.getAttribute('data-count'))));
    expect(counts.every((count) => count > 0)).toBe(true);
    expect(await panel('Source').locator('.cm-heat-line[data-heat-line="13"]').count()).toBe(1);
    expect(await panel('Source').locator('.cm-heat-line[data-heat-line="20"]').count()).toBe(0);
    expect(await heat.first().getAttribute('aria-label')).toMatch(/^line 12: [\d,]+ instructions \(\d+\.\d%\)$/);

    const ran = panel('Disassembly').locator('td.count.hot');
    await expect.poll(() => ran.count()).toBeGreaterThan(5);
    const symbols = await panel('Disassembly').locator('td.symbol').allTextContents();
    expect(symbols.every((s) => s === 'fib' || s.startsWith('fib+'))).toBe(true);
    expect(Number((await ran.first().textContent())!.replace(/,/g, ''))).toBeGreaterThan(0);
  });

  it("names a frame's function, line and self count under the mouse", async () => {
    await hoverFrame(page, 'fib', 4);
    await expect.poll(() => page.getByRole('tooltip').textContent()).toMatch(/^fibdemo\.c:\d+self [\d,]+ instructions/);
    await page.mouse.move(0, 0);
  });

  it('reports what the search matches', async () => {
    await view().getByRole('searchbox', { name: 'Search frames' }).fill('fib');
    await expect.poll(() => view().getByRole('status', { name: 'Search matches' }).textContent()).toMatch(/^\d+ frames match, 100\.0% of the total$/);
    expect(await flame().locator('.frame.match').count()).toBe((await depths('fib')).length);
    await view().getByRole('searchbox', { name: 'Search frames' }).fill('');
  });

  it('zooms into a frame and back', async () => {
    const shallowest = (await depths('fib')).indexOf(2);
    await frames('fib').nth(shallowest).click();
    await expect.poll(() => zoomPath().getByRole('button').allTextContents()).toEqual(['all', 'fib', 'fib', 'Reset zoom']);
    // Zoomed, the frame fills the width, as its callers do.
    const widths = await frames('fib').evaluateAll((all) => all.slice(0, 2).map((f) => f.getBoundingClientRect().width));
    expect(widths[1]).toBeCloseTo(widths[0]!, 0);
    await zoomPath().getByRole('button', { name: 'Reset zoom' }).click();
    await expect.poll(() => zoomPath().getByRole('button').allTextContents()).toEqual(['all', 'Reset zoom']);
  });

  it('exports pprof and its own JSON, which imports again', async () => {
    const exported = async (name: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), view().getByRole('button', { name, exact: true }).click()]);
      const path = join(artifacts, download.suggestedFilename());
      await download.saveAs(path);
      return { name: download.suggestedFilename(), bytes: readFileSync(path) };
    };
    const pprof = await exported('pprof');
    expect(pprof.name).toBe('fib-exact-emulated.pb.gz');
    expect([...pprof.bytes.subarray(0, 2)]).toEqual([0x1f, 0x8b]); // gzip
    const own = await exported('Microscope');
    expect(own.name).toBe('fib-exact-emulated.cpu.json');
    await view().getByLabel('CPU profile file').setInputFiles(join(artifacts, own.name));
    await expect.poll(keptProfiles).toEqual(['fib(15) exact · warm · emulated', 'fib(15) exact · warm · emulated (imported)']);
  });
});

describe('comparing fib(15) with fib(10)', () => {
  it('lays out the comparison coloured by change, and lists fib in the differences', async () => {
    await recordCpuProfile(page, '10', 3);
    expect(await keptProfiles()).toHaveLength(3);
    await view().getByRole('button', { name: 'Compare', exact: true }).click();
    await view().getByLabel('Baseline', { exact: true }).selectOption({ index: 1 });
    await expect.poll(() => view().getByLabel('Comparison', { exact: true }).locator('option:checked').textContent()).toBe('fib(10) exact · warm · emulated');
    const diff = view().getByRole('group', { name: 'Differential flame graph' });
    await expect.poll(() => diff.getByRole('button', { name: /^fib, .* against the baseline$/ }).count()).toBeGreaterThan(3);
    const rows = await tableRows('Differences by function');
    expect(rows.map((row) => row[0])).toContain('fib');
    await page.screenshot({ path: join(artifacts, 'cpu-profile-compare.png') });
  });
});
