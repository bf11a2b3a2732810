// The inspector's pictures for a release note, in browser mode as the browser tests run it:
// the demo guest paused in fib, light and dark. Only when asked for, with a name's prefix:
// MICROSCOPE_SCREENSHOTS=after npx vitest run test/renderer/screenshots.browser.test.ts
// writes renderer/screenshots/after-light.png and after-dark.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';

import { projectRoot } from '../helpers.js';
import { servedInspector } from './served_inspector.js';

const prefix = process.env.MICROSCOPE_SCREENSHOTS;
const folder = join(projectRoot, 'renderer/screenshots');
describe.skipIf(!prefix)('screenshots for the release note', () => {
  const inspector = servedInspector('failed-screenshots-');
  let page: Page;
  beforeAll(() => {
    mkdirSync(folder, { recursive: true });
    page = inspector.page;
  });

  it('paused in fib(5) at a breakpoint, light and dark', async () => {
    const functions = page.getByRole('region', { name: 'Functions' });
    await functions.getByRole('button', { name: /\bfib\(/ }).click();
    const form = page.getByRole('form', { name: 'Call fib' });
    await form.getByLabel('n', { exact: true }).fill('5');
    await page.getByRole('region', { name: 'Breakpoints' }).getByLabel('Breakpoint location').fill('fib');
    await page.getByRole('region', { name: 'Breakpoints' }).getByRole('button', { name: 'Add' }).click();
    await form.getByRole('button', { name: 'Debug' }).click();
    const state = page.getByRole('status', { name: 'Debugger state' });
    await expect.poll(() => state.textContent()).toBe('Paused');
    await page.keyboard.press('F5'); // to the breakpoint in fib(5)
    await expect.poll(() => page.getByLabel('Stop reason').textContent()).toMatch(/^breakpoint/);
    await page.keyboard.press('F5'); // fib(4), called by fib(5)
    await expect.poll(() => page.getByRole('region', { name: 'Stack' }).getByRole('button').count()).toBeGreaterThan(1);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(folder, `${prefix}-${scheme}.png`) });
    }
  });
});
