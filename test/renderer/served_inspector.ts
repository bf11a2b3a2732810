// The inspector as the browser tests drive it: `microscope serve` with the real engine and
// Debian's Chromium (playwright-core) on its page at 1440×900, made before a file's tests
// and closed after them. A failed test leaves a picture of the window in
// dist/test-artifacts/ and no call being debugged.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';

import { launchChromium } from '../../native/node/tools/chromium.js';
import { startServe } from '../../native/node/tools/serve_process.js';
import { projectRoot } from '../helpers.js';

export const artifacts = join(projectRoot, 'dist/test-artifacts');

/**
 * Registers the hooks; the page is there from the first test on. `failed` names a failed
 * test's picture (`failed-source-` + its name); `cleanUp` undoes more after a failure.
 */
export function servedInspector(failed: string, cleanUp?: (page: Page) => Promise<void>): { readonly page: Page; readonly server: ChildProcess } {
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    const served = await startServe();
    server = served.server;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(served.url.href);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    server?.kill();
  });
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail' || !page) return;
    await page.screenshot({ path: join(artifacts, `${failed}${task.name.replace(/\W+/g, '-')}.png`) });
    const stop = page.getByRole('button', { name: 'Stop', exact: true });
    if (await stop.isEnabled()) await stop.click();
    await cleanUp?.(page);
  });
  return {
    get page() {
      if (!page) throw new Error('the inspector is not up yet: use the page inside a test');
      return page;
    },
    /** `microscope serve`'s process: the engine process is its child. */
    get server() {
      if (!server) throw new Error('the inspector is not up yet: use the server inside a test');
      return server;
    },
  };
}
