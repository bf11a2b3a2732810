// npm run -s screenshots -- NAME [SCENE]: the inspector's pictures for a release note, in
// browser mode as the browser tests run it (microscope serve, Debian's Chromium at
// 1440×900), light and dark, written to renderer/screenshots/NAME-light.png and
// NAME-dark.png. SCENE is what they show: `debug` (the default), the demo guest paused in
// fib(4) under fib(5) at a breakpoint; `trace`, the Call trace of fib(10) with a search
// stepped to its first fib(n=5); `latency`, the Latency view with two runs of fib(12)
// warm, one of a single call and one of 3,000; `cpu-profile`, an exact profile of fib(15)
// (3 calls, warm): its flame graph with a frame's tooltip, fib's counts (from its row in
// the top functions) in the Source view's gutter and the Disassembly; `coverage`, fib(5)'s coverage in the
// Source view (with its summary) and the Disassembly, the list of calls open; `time-travel`,
// a recorded fib(7) gone back with Reverse Continue and Step Back to an earlier hit of a
// conditional breakpoint, its timeline marked, and where rdi was written.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';

import { projectRoot } from '../api/paths.js';
import { launchChromium } from './chromium.js';
import {
  chooseFib,
  cpuProfileView,
  enlargeTabs,
  hoverFrame,
  listCoverageCalls,
  openCpuProfile,
  recordCpuProfile,
  runCoverage,
  showProfileCounts,
  timeTravelScene,
} from './inspector_steps.js';
import { startServe } from './serve_process.js';

const scenes: Record<string, (page: Page) => Promise<void>> = {
  'time-travel': timeTravelScene,
  async debug(page) {
    const form = await chooseFib(page, '5');
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
  },

  async trace(page) {
    const form = await chooseFib(page, '10');
    await form.getByRole('button', { name: 'Trace' }).click();
    const trace = page.getByRole('region', { name: 'Call trace' });
    await trace.getByLabel('Trace outcome').getByText('→ 55').waitFor();
    await enlargeTabs(page, 12);
    await trace.getByLabel('Search events').fill('fib(n=5)');
    await trace.getByLabel('Search events').press('Enter');
    await trace
      .getByLabel('Search matches')
      .getByText(/^1 of /)
      .waitFor();
  },

  async latency(page) {
    await chooseFib(page, '12');
    await page.getByRole('tab', { name: 'Latency' }).click();
    const latency = page.getByRole('region', { name: 'Latency' });
    await latency.getByLabel('Function').selectOption('fib');
    await latency.getByLabel('Arguments').fill('12');
    await latency.getByLabel('Mode').selectOption('warm');
    const runs = latency.getByRole('list', { name: 'Runs' }).getByRole('listitem');
    for (const [calls, warmup, count] of [
      ['1', '0', 1],
      ['3000', '100', 2],
    ] as const) {
      await latency.getByLabel('Calls', { exact: true }).fill(calls);
      await latency.getByLabel('Warm-up calls', { exact: true }).fill(warmup);
      await latency.getByRole('form', { name: 'Profile settings' }).getByRole('button', { name: 'Profile' }).click();
      await runs.nth(count - 1).waitFor();
    }
    await enlargeTabs(page, 15);
    await page.mouse.move(0, 0); // no chart's tooltip
  },

  async 'cpu-profile'(page) {
    await openCpuProfile(page);
    await cpuProfileView(page).getByRole('form', { name: 'CPU profile settings' }).getByLabel('Mode').selectOption('warm');
    await recordCpuProfile(page, '15', 3);
    await showProfileCounts(page, 'fib');
    await hoverFrame(page, 'fib', 4);
  },

  async coverage(page) {
    const form = await runCoverage(page, '5');
    await listCoverageCalls(form);
    await page.mouse.move(0, 0); // no button under the mouse
  },
};

const [name, scene = 'debug'] = process.argv.slice(2);
if (!name || !/^[\w-]+$/.test(name) || !scenes[scene]) {
  process.stderr.write(`usage: npm run -s screenshots -- NAME [${Object.keys(scenes).join('|')}]\n`);
  process.exit(2);
}
const folder = join(projectRoot, 'renderer/screenshots');
mkdirSync(folder, { recursive: true });

const { server, url } = await startServe();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url.href);
  await scenes[scene]!(page);
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
