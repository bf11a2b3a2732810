// The Call trace view end to end in browser mode (microscope serve with the real engine,
// Debian's Chromium): fib(10) traced from the Functions panel, its time ruler, the
// engine's lead-in, zooming at the wheel, to a range and back, search, and its colours,
// light and dark. Its pictures are `npm run -s screenshots -- trace-view trace`'s.
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';

import { servedInspector } from './served_inspector.js';

const inspector = servedInspector('failed-trace-');
let page: Page;
let trace: Locator;
let chart: Locator;
beforeAll(() => {
  page = inspector.page;
  trace = page.getByRole('region', { name: 'Call trace' });
  chart = trace.getByRole('group', { name: 'Flame chart' });
});

const zoom = () => trace.getByLabel('Zoom', { exact: true }).textContent();
const bar = (name: string) => chart.getByRole('button', { name: new RegExp(`^function ${name.replace(/[()]/g, '\\$&')}, `) });
const ruler = () => chart.getByLabel('Time ruler').locator('.tick').allTextContents();

describe('the call trace view', () => {
  it('traces fib(10) from the Functions panel', async () => {
    await page
      .getByRole('region', { name: 'Functions' })
      .getByRole('button', { name: /\bfib\(/ })
      .click();
    const form = page.getByRole('form', { name: 'Call fib' });
    await form.getByLabel('n', { exact: true }).fill('10');
    await form.getByRole('button', { name: 'Trace' }).click();
    await expect.poll(() => trace.getByLabel('Trace outcome').textContent()).toBe('→ 55');
    // More room for the chart: the code above, the tabs below.
    await page.getByRole('separator', { name: 'Resize middle 1' }).focus();
    for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowUp');
    // Each bar says its arguments, and its duration where that fits.
    await expect.poll(() => bar('fib(n=10)').textContent()).toMatch(/^fib\(n=10\) [\d.]+ [nµm]?s$/);
    expect(await bar('fib(n=9)').textContent()).toMatch(/^fib\(n=9\) [\d.]+ [nµm]?s$/);
  });

  it('has a time ruler, its labels following the zoom', async () => {
    const whole = await ruler();
    expect(whole.length).toBeGreaterThan(3);
    expect(whole[0]).toBe('0');
    for (const label of whole.slice(1)) expect(label).toMatch(/^[\d.]+ (ns|µs|ms)$/);
    for (let i = 0; i < 3; i++) await trace.getByRole('button', { name: 'Zoom in' }).click();
    await expect.poll(zoom).toBe('8×');
    const zoomed = await ruler();
    expect(zoomed).not.toEqual(whole);
    expect(zoomed[0]).not.toBe('0'); // zoomed at the middle, not the left edge
    await trace.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(zoom).toBe('1×');
  });

  it("draws the engine's lead-in as named bars, ending where the first function starts", async () => {
    const restore = chart.getByRole('img', { name: /^engine: restore the snapshot, [\d.]+ [nµm]?s$/ });
    const enter = chart.getByRole('img', { name: /^engine: enter the guest, [\d.]+ [nµm]?s$/ });
    expect(await restore.count()).toBe(1);
    expect(await enter.count()).toBe(1);
    const entered = (await enter.boundingBox())!;
    const root = (await bar('fib(n=10)').boundingBox())!;
    expect(Math.abs(entered.x + entered.width - root.x)).toBeLessThan(2);
    expect(root.x - (await chart.boundingBox())!.x).toBeGreaterThan(70); // it starts well into the chart
  });

  it('zooms at the wheel, keeping the time under the pointer where it was', async () => {
    // The pointer on a short call in the middle of the chart: the time under the pointer
    // stays under it, so the bar grows about the pointer, its start moving away from it by
    // the zoom (the page's pointer is on whole pixels).
    const lane = (await chart.boundingBox())!;
    const calls = await chart
      .locator('.bar.function')
      .evaluateAll((bars) =>
        bars.map((b) => ({ index: b.getAttribute('data-index')!, x: b.getBoundingClientRect().x, width: b.getBoundingClientRect().width })),
      );
    // A call with room either side to grow 4 times: the one nearest the middle (traces differ in shape from run to run).
    const middle = lane.x + 64 + (lane.width - 64) / 2;
    const fits = calls.filter((c) => c.width >= 6 && c.width <= 60 && Math.abs(c.x + c.width / 2 - middle) < (lane.width - 64) * 0.3);
    expect(fits.length).toBeGreaterThan(0);
    const short = fits.reduce((a, b) => (Math.abs(a.x + a.width / 2 - middle) <= Math.abs(b.x + b.width / 2 - middle) ? a : b));
    const target = chart.locator(`[data-index="${short.index}"]`);
    const before = (await target.boundingBox())!;
    const x = Math.round(before.x + before.width / 2);
    await page.mouse.move(x, before.y + before.height / 2);
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -100);
    await expect.poll(async () => Number((await zoom())!.replace('×', ''))).toBeGreaterThan(3);
    const after = (await target.boundingBox())!;
    const factor = after.width / before.width;
    expect(factor).toBeGreaterThan(3);
    expect(Math.abs(after.x - (x - (x - before.x) * factor))).toBeLessThan(1);
    // Escape: the whole call again.
    await page.keyboard.press('Escape');
    await expect.poll(zoom).toBe('1×');
  });

  it('zooms to a range dragged on the ruler, and back with Escape', async () => {
    if ((await zoom()) !== '1×') await trace.getByRole('button', { name: 'Reset' }).click();
    const axis = (await chart.getByLabel('Time ruler').boundingBox())!;
    const y = axis.y + axis.height / 2;
    const from = axis.x + 64 + (axis.width - 64) * 0.4;
    await page.mouse.move(from, y);
    await page.mouse.down();
    await page.mouse.move(from + 40, y, { steps: 4 });
    await page.mouse.move(from + (axis.width - 64) * 0.2, y, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => Number((await zoom())!.replace('×', ''))).toBeCloseTo(5, 0);
    await page.keyboard.press('Escape');
    await expect.poll(zoom).toBe('1×');
    // W zooms in, D pans right, S zooms back out.
    await chart.focus();
    await page.keyboard.press('w');
    await page.keyboard.press('w');
    await expect.poll(zoom).toBe('1.6×');
    const window = await trace.getByLabel('Window shown').textContent();
    await page.keyboard.press('d');
    await expect.poll(() => trace.getByLabel('Window shown').textContent()).not.toBe(window);
    await page.keyboard.press('s');
    await page.keyboard.press('s');
    await expect.poll(zoom).toBe('1×');
  });

  it('searches: "fib" counts the 177 calls, and Enter steps through them, each picked and in view', async () => {
    const search = trace.getByLabel('Search events');
    const found = trace.getByLabel('Search matches');
    await search.fill('fib');
    await expect.poll(() => found.textContent()).toBe('177 matches');
    await search.press('Enter');
    await expect.poll(() => found.textContent()).toBe('1 of 177');
    expect(await trace.getByLabel('Picked event').textContent()).toMatch(
      /^functionfib\(n=10\) 0x[0-9a-f]+Start[\d.]+ [nµm]?sDuration[\d.]+ [nµm]?sSelf[\d.]+ [nµm]?sDepth0$/,
    );
    await search.press('Enter');
    await expect.poll(() => found.textContent()).toBe('2 of 177');
    expect(await trace.getByLabel('Picked event').locator('code').textContent()).toBe('fib(n=9)');
    await search.press('Shift+Enter');
    await expect.poll(() => found.textContent()).toBe('1 of 177');

    // A short call, zoomed in: panned into view, drawn and picked.
    await search.fill('fib(n=0)');
    await expect.poll(() => found.textContent()).toBe('34 matches');
    for (let i = 0; i < 6; i++) await trace.getByRole('button', { name: 'Zoom in' }).click();
    for (let i = 0; i < 20; i++) await search.press('Enter');
    await expect.poll(() => found.textContent()).toBe('20 of 34');
    const picked = chart.locator('.bar.picked');
    await expect.poll(() => picked.getAttribute('aria-label')).toMatch(/^function fib\(n=0\), /);
    const box = (await picked.boundingBox())!;
    const lane = (await chart.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(lane.x + 64);
    expect(box.x + box.width).toBeLessThanOrEqual(lane.x + lane.width);
    expect(await chart.locator('.bar.match').count()).toBeGreaterThan(0);
    expect(await chart.locator('.bar.dim').count()).toBeGreaterThan(0);
  });

  it('colours each bar by its function, light and dark, exits apart', async () => {
    if ((await zoom()) !== '1×') await trace.getByRole('button', { name: 'Reset' }).click();
    await trace.getByLabel('Search events').fill('');
    const colours = () =>
      chart
        .locator('.bar.function, .bar.exit')
        .evaluateAll((bars) => bars.map((bar) => `${bar.classList[1]} ${bar.ownerDocument.defaultView!.getComputedStyle(bar).backgroundColor}`));
    const light = new Set(await colours());
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(async () => new Set(await colours())).not.toEqual(light);
    const dark = new Set(await colours());
    await page.emulateMedia({ colorScheme: null });
    // One function, one colour; the exit in another; each theme its own shade.
    for (const shades of [light, dark]) {
      expect([...shades].filter((c) => c.startsWith('function '))).toHaveLength(1);
      expect([...shades].filter((c) => c.startsWith('exit '))).toHaveLength(1);
    }
  });
});
