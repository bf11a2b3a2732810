// The Latency view end to end in browser mode (microscope serve with the real engine,
// Debian's Chromium): the number fields named, calls = 0 refused with a message, two runs
// of the same call named apart in a legend, their percentiles marked with labels that
// don't overlap, and the latency axis spanning a 1-call run and a long one. Its pictures
// are `npm run -s screenshots -- latency-view latency`'s.
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';

import { servedInspector } from './served_inspector.js';

const inspector = servedInspector('failed-latency-', async (page) => {
  const profiling = page.getByLabel('Profile progress').getByRole('button', { name: 'Cancel' });
  if (await profiling.count()) await profiling.click();
});
let page: Page;
let latency: Locator;
beforeAll(() => {
  page = inspector.page;
  latency = page.getByRole('region', { name: 'Latency' });
});

const runs = () => latency.getByRole('list', { name: 'Runs' }).getByRole('listitem');
const histogram = () => latency.getByRole('figure', { name: 'Latency histogram' });
const profileButton = () => latency.getByRole('form', { name: 'Profile settings' }).getByRole('button', { name: 'Profile' });

/** "50.0 µs" → 50000. */
function nanoseconds(text: string): number {
  const [, value, unit] = /^([\d.]+) (ns|µs|ms|s)$/.exec(text)!;
  return Number(value) * { ns: 1, µs: 1e3, ms: 1e6, s: 1e9 }[unit as 'ns']!;
}

describe('the latency view', () => {
  it('names its number fields, and refuses calls = 0 with a message', async () => {
    await page
      .getByRole('region', { name: 'Functions' })
      .getByRole('button', { name: /\bfib\(/ })
      .click();
    await page.getByRole('tab', { name: 'Latency' }).click();
    await latency.getByLabel('Function').selectOption('fib');
    await latency.getByLabel('Arguments').fill('12');
    await latency.getByLabel('Mode').selectOption('warm');
    // Labels on screen, not only accessible names.
    expect(await latency.locator('label', { hasText: /^Calls$/ }).isVisible()).toBe(true);
    expect(await latency.locator('label', { hasText: /^Warm-up calls$/ }).isVisible()).toBe(true);

    const calls = latency.getByLabel('Calls', { exact: true });
    await calls.fill('0');
    await expect.poll(() => latency.getByRole('alert').textContent()).toBe('Calls: at least 1 call');
    expect(await calls.inputValue()).toBe('0');
    expect(await calls.getAttribute('aria-invalid')).toBe('true');
    expect(await profileButton().isDisabled()).toBe(true);
    // Nor from the Functions panel's Profile button: no run is made.
    await page.getByRole('form', { name: 'Call fib' }).getByLabel('n', { exact: true }).fill('12');
    await page.getByRole('form', { name: 'Call fib' }).getByRole('button', { name: 'Profile' }).click();
    expect(await latency.getByRole('list', { name: 'Runs' }).count()).toBe(0);
    expect(await latency.getByLabel('Profile progress').count()).toBe(0);

    await calls.fill('1');
    await expect.poll(() => latency.getByRole('alert').count()).toBe(0);
    expect(await profileButton().isDisabled()).toBe(false);
  });

  it('shows two runs of the same call in a legend, named apart, their axis spanning both', async () => {
    // One call, then many with a warm-up: the second's slowest calls run far past the first's one.
    await latency.getByLabel('Calls', { exact: true }).fill('1');
    await latency.getByLabel('Warm-up calls', { exact: true }).fill('0');
    await profileButton().click();
    await expect.poll(() => runs().count()).toBe(1);
    await latency.getByLabel('Calls', { exact: true }).fill('3000');
    await latency.getByLabel('Warm-up calls', { exact: true }).fill('100');
    await profileButton().click();
    await expect.poll(() => runs().count()).toBe(2);
    expect(await runs().nth(0).textContent()).toMatch(/^#\d+ fib\(12\) warm · emulated 1 call, p50 /);

    const legend = histogram().getByRole('list', { name: 'Legend' }).getByRole('listitem');
    const names = (await legend.allTextContents()).map((name) => name.replace(' (baseline)', ''));
    expect(names).toHaveLength(2);
    for (const name of names) expect(name).toMatch(/^#\d+ fib\(12\) warm · emulated$/);
    expect(new Set(names).size).toBe(2);
    expect(await latency.getByRole('table', { name: 'Ratios' }).locator('thead th').allTextContents()).toEqual(['', `${names[0]} (baseline)`, names[1]]);

    // The latency axis from below the fastest call of either run to past the slowest.
    const ticks = (await histogram().locator('.recharts-xAxis-tick-labels text').allTextContents()).map(nanoseconds);
    const row = (label: string) => latency.getByRole('table', { name: 'Ratios' }).locator('tbody tr', { hasText: label }).locator('td');
    const slowest = Math.max(...(await row('max').allTextContents()).map((text) => nanoseconds(text.replace(/ [\d.]+×$/, ''))));
    const onlyCall = nanoseconds((await row('p50').first().textContent())!);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks[0]).toBeLessThanOrEqual(onlyCall * 3);
    expect(ticks.at(-1)! * 10).toBeGreaterThan(slowest);
    expect(ticks.at(-1)).toBeGreaterThan(onlyCall * 3);
  });

  it("marks every run's percentiles in its colour, the labels apart", async () => {
    const labels = histogram().locator('svg text.recharts-label', { hasText: /^p\d/ });
    await expect.poll(() => labels.count()).toBeGreaterThanOrEqual(5); // the 1-call run's one label, the other's four
    expect(
      await histogram()
        .locator('svg text', { hasText: /^p50–p99\.9$/ })
        .count(),
    ).toBe(1);
    const drawn = await labels.evaluateAll((texts) =>
      texts.map((text) => {
        const box = text.getBoundingClientRect();
        return { left: box.left, right: box.right, top: box.top, bottom: box.bottom, fill: text.getAttribute('fill') };
      }),
    );
    expect(new Set(drawn.map((d) => d.fill)).size).toBe(2);
    for (const [i, a] of drawn.entries())
      for (const b of drawn.slice(i + 1)) {
        const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
        expect(apart).toBe(true);
      }
  });
});
