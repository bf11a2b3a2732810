// npm run -s screenshots -- NAME: the inspector's pictures for a release note, in browser
// mode as the browser tests run it (microscope serve, Debian's Chromium at 1440×900): the
// demo guest paused in fib(4) under fib(5) at a breakpoint, light and dark, written to
// renderer/screenshots/NAME-light.png and NAME-dark.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { projectRoot } from '../api/paths.js';
import { launchChromium } from './chromium.js';
import { startServe } from './serve_process.js';

const name = process.argv[2];
if (!name || !/^[\w-]+$/.test(name)) {
  process.stderr.write('usage: npm run -s screenshots -- NAME (before, after, ...)\n');
  process.exit(2);
}
const folder = join(projectRoot, 'renderer/screenshots');
mkdirSync(folder, { recursive: true });

const { server, url } = await startServe();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url.href);
  await page
    .getByRole('region', { name: 'Functions' })
    .getByRole('button', { name: /\bfib\(/ })
    .click();
  const form = page.getByRole('form', { name: 'Call fib' });
  await form.getByLabel('n', { exact: true }).fill('5');
  const breakpoints = page.getByRole('region', { name: 'Breakpoints' });
  await breakpoints.getByLabel('Breakpoint location').fill('fib');
  await breakpoints.getByRole('button', { name: 'Add' }).click();
  await form.getByRole('button', { name: 'Debug' }).click();
  const reason = page.getByLabel('Stop reason');
  await reason.getByText(/^at the entry/).waitFor();
  await page.keyboard.press('F5'); // to the breakpoint in fib(5)
  await reason.getByText(/^breakpoint/).waitFor();
  await page.keyboard.press('F5'); // fib(4), called by fib(5)
  await page.getByRole('region', { name: 'Stack' }).getByRole('button').nth(1).waitFor();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // The frame painted in the new scheme: two animation frames after the change.
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    await page.screenshot({ path: join(folder, `${name}-${scheme}.png`) });
  }
  process.stdout.write(`screenshots: ${join(folder, `${name}-light.png`)} and -dark.png\n`);
} finally {
  await browser.close();
  server.kill();
}
