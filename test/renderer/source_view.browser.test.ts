// The Source view end to end, as inspector.browser.test.ts runs the inspector: Debian's
// Chromium against `microscope serve` with the real engine. demo.c opens where the call
// stops, the current line is marked, the gutter sets breakpoints the engine resolves, F10
// steps by line in the source and by instruction in the disassembly, and sqlite3.c (250,000
// lines) opens and scrolls. Also the theme switch and the Stack's splitter.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';

import { projectRoot } from '../helpers.js';
import { artifacts, servedInspector } from './served_inspector.js';

const demoSource = readFileSync(join(projectRoot, 'native/demo/demo.c'), 'utf8').split('\n');
const inspector = servedInspector('failed-source-');
let page: Page;
beforeAll(() => {
  page = inspector.page;
});

const panel = (name: string) => page.getByRole('region', { name });
const source = () => panel('Source');
const reason = () => page.getByLabel('Stop reason').textContent();
const currentLine = () => source().locator('.cm-line[aria-current="true"]');
const lineNumber = (n: number) => source().locator('.cm-lineNumbers .cm-gutterElement', { hasText: new RegExp(`^${n}$`) });
const breakpointNames = () => panel('Breakpoints').locator('.point-name').allTextContents();

async function debugFib(n: string) {
  await panel('Functions')
    .getByRole('button', { name: /\bfib\(/ })
    .click();
  const form = page.getByRole('form', { name: 'Call fib' });
  await form.getByLabel('n', { exact: true }).fill(n);
  await form.getByRole('button', { name: 'Debug', exact: true }).click();
  await expect.poll(() => page.getByRole('status', { name: 'Debugger state' }).textContent()).toBe('Paused');
}

describe('the Source view', () => {
  it('opens demo.c where the call stops, and marks the current line', async () => {
    await expect.poll(() => panel('Functions').getByRole('button', { name: 'i64 add(i64 a, i64 b)' }).count()).toBe(1);
    await debugFib('5');
    await expect.poll(reason).toMatch(/^at the entry of fib \(demo\.c:\d+\)$/);
    const line = Number((await reason())!.match(/:(\d+)\)$/)![1]);
    await expect.poll(() => source().getByLabel('Source file').inputValue()).toMatch(/\/native\/demo\/demo\.c$/);
    await expect.poll(() => currentLine().getAttribute('data-line')).toBe(String(line));
    expect(await currentLine().textContent()).toBe(demoSource[line - 1]);
    expect(await currentLine().textContent()).toContain('if (n < 2) return n;');
    // The disassembly beside it marks the current instruction and the instructions of that line.
    expect(await panel('Disassembly').locator('tr[aria-current="true"] td.symbol').textContent()).toBe('fib');
    await expect.poll(() => panel('Disassembly').locator('tr[data-of-line="true"]').count()).toBeGreaterThan(0);
    for (const text of await panel('Disassembly').locator('tr[data-of-line="true"] td.line').allTextContents()) expect(['', `demo.c:${line}`]).toContain(text);
  });

  it('sets a breakpoint from the gutter, on the line the engine resolves', async () => {
    await lineNumber(15).click();
    await expect.poll(breakpointNames).toEqual(['demo.c:15']);
    await expect.poll(() => source().locator('.breakpoint-marker[data-line="15"]').count()).toBe(1);
    expect(await source().locator('.breakpoint-marker[data-line="15"]').getAttribute('aria-label')).toBe('Breakpoint at demo.c:15, 0 hits');

    // Line 18 is blank: the engine puts the breakpoint on the next line with code, and says so.
    const blank = demoSource.findIndex((text, i) => i > 17 && text.trim() === '') + 1;
    await lineNumber(blank).click();
    await expect.poll(async () => (await breakpointNames()).length).toBe(2);
    const resolved = Number((await breakpointNames())[1]!.replace('demo.c:', ''));
    expect(resolved).toBeGreaterThan(blank);
    expect(await source().locator(`.breakpoint-marker[data-line="${blank}"]`).count()).toBe(0);
    // Clicking the resolved line clears it.
    await lineNumber(resolved).click();
    await expect.poll(breakpointNames).toEqual(['demo.c:15']);
  });

  it('steps by line with F10 in the source, by instruction with F10 in the disassembly', async () => {
    const before = Number(await currentLine().getAttribute('data-line'));
    await currentLine().click(); // the focus in the source
    await page.keyboard.press('F10');
    await expect.poll(() => currentLine().getAttribute('data-line')).toBe(String(before + 1));
    await expect.poll(reason).toMatch(new RegExp(`^stepped to fib\\+0x[0-9a-f]+ \\(demo\\.c:${before + 1}\\)$`));
    await page.screenshot({ path: join(artifacts, 'source-line-step.png') });

    const rip = panel('Registers').locator('tr[data-register="rip"] code');
    const ripBefore = await rip.textContent();
    await panel('Disassembly').locator('.code-grid').focus();
    await page.keyboard.press('F10');
    await expect.poll(() => rip.textContent()).not.toBe(ripBefore);
    const instructionAfter = BigInt((await rip.textContent())!);
    expect(instructionAfter - BigInt(ripBefore!)).toBeLessThan(16n); // one instruction on
    await expect.poll(() => panel('Disassembly').locator('tr[aria-current="true"] td.address').textContent()).toBe(await rip.textContent());
  });

  it("stops at the gutter's breakpoint, and marks the selected frame's line apart", async () => {
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await expect.poll(reason).toMatch(/^breakpoint \d+ in fib\+0x[0-9a-f]+ \(demo\.c:15\)$/);
    await expect.poll(() => currentLine().getAttribute('data-line')).toBe('15');
    await expect.poll(() => panel('Breakpoints').locator('li', { hasText: 'demo.c:15' }).locator('.hits').textContent()).toBe('1 hits');

    // Continue: fib(4)'s fib(2)... the third stop at line 15 is two calls deep.
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await expect.poll(() => panel('Stack').getByRole('button').count()).toBeGreaterThan(1);
    const frames = panel('Stack').getByRole('button');
    await frames.nth(1).click();
    const frameLine = source().locator('.cm-line[data-marked="frame"]');
    await expect.poll(() => frameLine.getAttribute('data-line')).toMatch(/^1[45]$/);
    expect(await frames.nth(1).textContent()).toContain(`demo.c:${await frameLine.getAttribute('data-line')}`);
    // Scrolled into sight, inside the editor's scroller.
    const box = (await frameLine.boundingBox())!;
    const view = (await source().locator('.cm-scroller').boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(view.y);
    expect(box.y + box.height).toBeLessThanOrEqual(view.y + view.height);
    expect(await currentLine().getAttribute('data-line')).toBe('15');
    await page.screenshot({ path: join(artifacts, 'source-frames.png') });
    await frames.nth(0).click();

    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Debugger state' }).textContent()).toBe('');
    await expect.poll(() => currentLine().count()).toBe(0); // a stopped call leaves no mark
    expect(await panel('Disassembly').locator('tr[aria-current="true"]').count()).toBe(0);
    await panel('Breakpoints').getByRole('button', { name: 'Remove breakpoint demo.c:15' }).click();
    await expect.poll(breakpointNames).toEqual([]);
  });

  it("opens the SQLite guest's sqlite3.c from the picker, and scrolls it", async () => {
    await panel('Guest').getByRole('button', { name: 'SQLite', exact: true }).click();
    await expect.poll(() => panel('Guest').locator('dd').first().textContent()).toMatch(/sqlite\.elf$/);
    const picker = source().getByLabel('Source file');
    await expect.poll(() => picker.locator('option', { hasText: /^sqlite3\.c / }).count()).toBe(1);
    const file = await picker.locator('option', { hasText: /^sqlite3\.c / }).getAttribute('value');
    await picker.selectOption(file!);
    const lines = source().locator('.cm-line');
    await expect.poll(() => lines.count()).toBeGreaterThan(10);
    expect(await lines.first().textContent()).toBe(readFileSync(file!, 'utf8').split('\n')[0]);
    // CodeMirror draws what is in sight, not 250,000 lines.
    expect(await lines.count()).toBeLessThan(1000);

    const scroller = source().locator('.cm-scroller');
    await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    const total = readFileSync(file!, 'utf8').split('\n').length;
    expect(total).toBeGreaterThan(250_000);
    await expect.poll(() => lineNumber(total).count()).toBe(1);
    expect(await lines.count()).toBeLessThan(1000);
    await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight / 2 }));
    const inSight = async () => (await source().locator('.cm-lineNumbers .cm-gutterElement').allTextContents()).map(Number).filter((n) => n <= total);
    await expect.poll(async () => (await inSight()).some((n) => n > total * 0.4 && n < total * 0.6)).toBe(true);
    expect(await page.evaluate('1 + 1')).toBe(2);
    await page.screenshot({ path: join(artifacts, 'source-sqlite.png') });
    await panel('Guest').getByRole('button', { name: 'Demo', exact: true }).click();
    await expect.poll(() => panel('Guest').locator('dd').first().textContent()).toMatch(/demo\.elf$/);
  });
});

describe('the look', () => {
  it('switches the theme by hand, and keeps the choice', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    const background = () => page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(await background()).toBe('rgb(255, 255, 255)');
    await page.getByLabel('Theme').selectOption('dark');
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    expect(await background()).toBe('rgb(31, 31, 31)');
    await page.reload();
    await expect.poll(() => page.getByLabel('Theme').inputValue()).toBe('dark');
    expect(await background()).toBe('rgb(31, 31, 31)');
    // Back to the system's, which follows prefers-color-scheme.
    await page.getByLabel('Theme').selectOption('system');
    expect(await page.evaluate("localStorage.getItem('microscope.theme')")).toBeNull();
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).toBe('rgb(31, 31, 31)');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('gives the Stack a splitter of its own, under the registers', async () => {
    await expect.poll(() => panel('Functions').getByRole('button', { name: 'i64 add(i64 a, i64 b)' }).count()).toBe(1);
    const stack = panel('Stack');
    const before = (await stack.boundingBox())!.height;
    await page.getByRole('separator', { name: 'Resize right 3' }).focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowUp');
    expect((await stack.boundingBox())!.height).toBeGreaterThan(before + 50);
  });
});
