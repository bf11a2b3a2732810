// Debian's Chromium driven by playwright-core (a devDependency: the end-to-end tests and
// the inspector's benchmark use it, the product doesn't), headless, as this project runs
// it on machines without a display or a GPU. Electron's own binary can't be downloaded
// everywhere; Debian's chromium can (native/tools/setup.sh installs it).
import { existsSync } from 'node:fs';

import type { Browser } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install chromium (npm run setup does)`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
