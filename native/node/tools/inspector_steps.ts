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

/** The recorded call's timeline, as a slider: where the call is, from its start to its end. */
export const timelineSlider = (page: Page): Locator =>
  page.getByRole('region', { name: 'Timeline' }).getByRole('slider', { name: 'Position in the recorded call' });

/** What the timeline marks, each as it reads: "breakpoint 1 hit at 10". */
export const timelineMarks = (page: Page): Promise<(string | null)[]> =>
  page
    .getByRole('region', { name: 'Timeline' })
    .getByRole('list', { name: 'Marks' })
    .getByRole('listitem')
    .evaluateAll((marks) => marks.map((mark) => mark.getAttribute('aria-label')));

/** `key` pressed, and the call stopped elsewhere: the timeline's position changed, the debugger paused. */
export async function pressToMove(page: Page, key: string): Promise<void> {
  const before = await timelineSlider(page).getAttribute('aria-valuenow');
  await page.keyboard.press(key);
  await page.locator(`[role="slider"][aria-label="Position in the recorded call"]:not([aria-valuenow="${before}"])`).waitFor();
  await page.getByRole('status', { name: 'Debugger state' }).getByText('Paused', { exact: true }).waitFor();
}

/**
 * Time travel: fib(7) recorded (as Debug records by default), stopped at fib(3) by a
 * breakpoint `if n == 3` five times, then back two of those hits (Alt+F5) and a line
 * (Alt+F10); the timeline marks the hits, and "where was rdi written?" is answered.
 */
export async function timeTravelScene(page: Page): Promise<void> {
  const breakpoints = page.getByRole('region', { name: 'Breakpoints' });
  await breakpoints.getByLabel('Breakpoint location').fill('fib');
  await breakpoints.getByLabel('Condition').fill('n == 3');
  await breakpoints.getByRole('button', { name: 'Add', exact: true }).click();
  const form = await chooseFib(page, '7');
  await form.getByRole('button', { name: 'Debug', exact: true }).click();
  await page
    .getByLabel('Stop reason')
    .getByText(/^at the entry/)
    .waitFor();
  await timelineSlider(page).waitFor();
  for (const key of ['F5', 'F5', 'F5', 'F5', 'F5', 'Alt+F5', 'Alt+F5', 'Alt+F10']) await pressToMove(page, key);
  await page.getByRole('region', { name: 'Registers' }).getByRole('button', { name: 'Where was rdi written?' }).click();
  await page.getByRole('dialog', { name: 'Where was rdi written?' }).getByRole('button', { name: 'Go there' }).waitFor();
  await page.mouse.move(0, 0); // no button under the mouse
}
