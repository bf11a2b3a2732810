// Steps in the inspector that its browser tests and the screenshots both take, as a user
// would: Playwright on the page `microscope serve` serves, the demo guest loaded. Each
// step waits until what it did shows; the tests check what it shows.
import type { Locator, Page } from 'playwright-core';

/** Room for the tabs under the code: the divider moved up as far as `steps` arrow presses take it. */
export async function enlargeTabs(page: Page, steps: number): Promise<void> {
  await page.getByRole('separator', { name: 'Resize middle 1' }).focus();
  for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowUp');
}

/** fib picked in the Functions panel, `n` in its field: its call form. */
export async function chooseFib(page: Page, n: string): Promise<Locator> {
  await page
    .getByRole('region', { name: 'Functions' })
    .getByRole('button', { name: /\bfib\(/ })
    .click();
  const form = page.getByRole('form', { name: 'Call fib' });
  await form.getByLabel('n', { exact: true }).fill(n);
  return form;
}

export const cpuProfileView = (page: Page): Locator => page.getByRole('region', { name: 'CPU profile' });

/** A frame of the flame graph: `name`'s, at any depth. */
export const flameFrames = (page: Page, name: string): Locator =>
  cpuProfileView(page)
    .getByRole('group', { name: 'Flame graph', exact: true })
    .getByRole('button', { name: new RegExp(`^${name}[ ,]`) });

/** The CPU profile tab, with room above the bottom tabs for its view. */
export async function openCpuProfile(page: Page): Promise<void> {
  await enlargeTabs(page, 8);
  await page.getByRole('tab', { name: 'CPU profile' }).click();
}

/** fib(`args`) recorded, `calls` calls, with the view's other settings as they are: one more profile kept. */
export async function recordCpuProfile(page: Page, args: string, calls: number): Promise<void> {
  const settings = cpuProfileView(page).getByRole('form', { name: 'CPU profile settings' });
  const kept = cpuProfileView(page).getByLabel('Shown profile').locator('option');
  const before = await kept.count();
  await settings.getByLabel('Function').selectOption('fib');
  await settings.getByLabel('Arguments').fill(args);
  await settings.getByLabel('Calls').fill(String(calls));
  await settings.getByRole('button', { name: 'Record' }).click();
  await kept.nth(before).waitFor({ state: 'attached' });
}

/** `name`'s row in Top functions clicked: its file in the Source view with the profile's heat gutter. */
export async function showProfileCounts(page: Page, name: string): Promise<void> {
  await cpuProfileView(page).getByRole('table', { name: 'Top functions' }).getByRole('button', { name, exact: true }).click();
  await page.getByRole('region', { name: 'Source' }).locator('.cm-overlay-gutter .heat-count').first().waitFor();
}

/** The view from its top (settings, profile, flame graph), the mouse on `name`'s frame at `depth`, its tooltip up. */
export async function hoverFrame(page: Page, name: string, depth: number): Promise<void> {
  await cpuProfileView(page).evaluate((element) => (element.scrollTop = 0));
  await flameFrames(page, name)
    .and(page.locator(`[data-depth="${depth}"]`))
    .hover();
  await page.getByRole('tooltip').waitFor();
}

/** fib(`n`)'s coverage from its call form, marked in the Source view: the form. */
export async function runCoverage(page: Page, n: string): Promise<Locator> {
  const form = await chooseFib(page, n);
  await form.getByRole('button', { name: 'Coverage', exact: true }).click();
  await page.getByRole('region', { name: 'Source' }).locator('.cm-overlay-gutter .coverage-mark').first().waitFor();
  return form;
}

/** The form's list of calls opened, its arguments the list's first line. */
export async function listCoverageCalls(form: Locator): Promise<void> {
  await form.getByRole('button', { name: 'Coverage of several argument lists' }).click();
  await form.getByRole('button', { name: 'Add these arguments' }).click();
}
