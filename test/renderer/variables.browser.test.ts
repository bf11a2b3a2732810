// Variables, Watch, the Debug Console, hover, the Stack's calls and breakpoint editing end
// to end, as source_view.browser.test.ts runs the inspector: Chromium against `microscope
// serve` with the real engine. The demo's fib(5) pauses in fib(2) on a breakpoint `if n == 2`;
// variables.elf pauses in visit() (variables.c:55) with a struct and a linked list.
import { join } from 'node:path';

import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';

import { testGuest } from '../helpers.js';
import { artifacts, servedInspector } from './served_inspector.js';

const inspector = servedInspector('failed-variables-');
let page: Page;
beforeAll(() => {
  page = inspector.page;
});

const panel = (name: string) => page.getByRole('region', { name });
const state = () => page.getByRole('status', { name: 'Debugger state' }).textContent();
const reason = () => page.getByLabel('Stop reason').textContent();
const scope = (name: string) => panel('Variables').getByRole('tree', { name, exact: true });
/** The rows of a tree as they read: "n: 2". */
const rows = (tree: ReturnType<typeof scope>) => tree.getByRole('treeitem').evaluateAll((items) => items.map((i) => i.getAttribute('aria-label')));
const frameCalls = () => panel('Stack').locator('.frame-call').allTextContents();
const consoleLines = () => panel('Debug Console').getByRole('log').locator(':scope > li:not(.console-end)').allTextContents();
const lineNumber = (n: number) => panel('Source').locator('.cm-lineNumbers .cm-gutterElement', { hasText: new RegExp(`^${n}$`) });

async function debug(fn: string, args: Record<string, string>) {
  await panel('Functions')
    .getByRole('button', { name: new RegExp(`\\b${fn}\\(`) })
    .click();
  const form = page.getByRole('form', { name: `Call ${fn}` });
  for (const [field, value] of Object.entries(args)) await form.getByLabel(field, { exact: true }).fill(value);
  await form.getByRole('button', { name: 'Debug', exact: true }).click();
  await expect.poll(state).toBe('Paused');
}

async function resume(how: 'Continue' | 'Step Over') {
  const before = await reason();
  await page.getByRole('button', { name: how, exact: true }).click();
  await expect.poll(reason).not.toBe(before);
  await expect.poll(state).not.toBe('Running');
}

/** Moves the mouse over the `index`th character of the source line `line`. */
async function hoverSource(line: number, index: number) {
  const box = await panel('Source')
    .locator(`.cm-line[data-line="${line}"]`)
    .evaluate((element, at) => {
      const walker = element.ownerDocument.createTreeWalker(element, 4); // NodeFilter.SHOW_TEXT
      let left = at;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const length = node.textContent!.length;
        if (left < length) {
          const range = element.ownerDocument.createRange();
          range.setStart(node, left);
          range.setEnd(node, left + 1);
          const rect = range.getBoundingClientRect();
          return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
        }
        left -= length;
      }
      throw new Error(`line has no character ${at}`);
    }, index);
  await page.mouse.move(box.x, box.y);
}

describe('paused in fib(2), on a breakpoint if n == 2', () => {
  it('shows the arguments in Variables and the calls in the Stack, frame by frame', async () => {
    await expect.poll(() => panel('Functions').getByRole('button', { name: 'i64 add(i64 a, i64 b)' }).count()).toBe(1);
    await panel('Breakpoints').getByLabel('Breakpoint location').fill('fib');
    await panel('Breakpoints').getByLabel('Condition').fill('n == 2');
    await panel('Breakpoints').getByRole('button', { name: 'Add', exact: true }).click();
    await debug('fib', { n: '5' });
    // The gutter marks it as conditional, and says so.
    const mark = panel('Source').locator('.breakpoint-marker[data-line="13"]');
    await expect.poll(() => mark.getAttribute('class')).toContain('codicon-debug-breakpoint-conditional');
    expect(await mark.getAttribute('aria-label')).toBe('Breakpoint at demo.c:13, if n == 2, 0 hits');
    await expect.poll(() => rows(scope('Arguments'))).toEqual(['n: 5']);

    await resume('Continue');
    await expect.poll(reason).toMatch(/^breakpoint \d+ in fib \(demo\.c:13\)$/);
    await expect.poll(() => rows(scope('Arguments'))).toEqual(['n: 2']);
    expect(await rows(scope('Locals'))).toEqual(['left: <optimized out>', 'right: <optimized out>']);
    expect(await scope('Locals').getByRole('treeitem', { name: 'left: <optimized out>' }).locator('.variable-value').getAttribute('title')).toBe(
      'optimized out',
    );
    expect(await scope('Arguments').locator('.variable-type').allTextContents()).toEqual(['uint32_t']);
    await expect.poll(frameCalls).toEqual(['fib(n=2)', 'fib(n=3)', 'fib(n=4)', 'fib(n=5)']);
    expect(await panel('Stack').getByRole('button').nth(1).textContent()).toMatch(/^fib\(n=3\) demo\.c:14 sp 0x[0-9a-f]+$/);

    // The caller's frame: its n.
    await panel('Stack').getByRole('button').nth(1).click();
    await expect.poll(() => rows(scope('Arguments'))).toEqual(['n: 3']);
    await panel('Stack').getByRole('button').nth(0).click();
    await expect.poll(() => rows(scope('Arguments'))).toEqual(['n: 2']);
    // The registers are a scope too, folded at first.
    await panel('Variables').getByRole('button', { name: 'Registers' }).click();
    const rdi = (await rows(scope('Registers'))).find((row) => row!.startsWith('rdi: '));
    expect(rdi).toBe('rdi: 0x2');
  });

  it('watches n * 10 in the selected frame', async () => {
    await page.evaluate("localStorage.removeItem('microscope.watch')");
    await panel('Watch').getByLabel('Add watch expression').fill('n * 10');
    await panel('Watch').getByLabel('Add watch expression').press('Enter');
    const watches = panel('Watch').getByRole('tree', { name: 'Watch expressions' });
    await expect.poll(() => rows(watches)).toEqual(['n * 10: 20']);
    await panel('Watch').getByLabel('Add watch expression').fill('nope');
    await panel('Watch').getByLabel('Add watch expression').press('Enter');
    await expect
      .poll(() => watches.locator('.variable-row').allTextContents())
      .toEqual(['n * 10: 20unsigned int', "nope: 'nope': column 1: nothing is named 'nope' in frame 0 (no variable, function, enumerator or register)"]);
    expect(JSON.parse((await page.evaluate("localStorage.getItem('microscope.watch')")) as string)).toEqual(['n * 10', 'nope']);
    await panel('Watch').getByRole('button', { name: 'Remove watch nope' }).click();
    await expect.poll(() => rows(watches)).toEqual(['n * 10: 20']);
    await panel('Stack').getByRole('button').nth(1).click();
    await expect.poll(() => rows(watches)).toEqual(['n * 10: 30']);
    await panel('Stack').getByRole('button').nth(0).click();
    await expect.poll(() => rows(watches)).toEqual(['n * 10: 20']);
  });

  it('evaluates in the Debug Console, with its history', async () => {
    await page.getByRole('tab', { name: 'Debug Console' }).click();
    const input = panel('Debug Console').getByLabel('Evaluate expression');
    await input.fill('n + 1');
    await input.press('Enter');
    await input.fill('nope');
    await input.press('Enter');
    await expect
      .poll(consoleLines)
      .toEqual(['n + 1', '3unsigned int', 'nope', "'nope': column 1: nothing is named 'nope' in frame 0 (no variable, function, enumerator or register)"]);
    expect(await panel('Debug Console').locator('.console-error').count()).toBe(1);
    await input.press('ArrowUp');
    expect(await input.inputValue()).toBe('nope');
    await input.press('ArrowUp');
    expect(await input.inputValue()).toBe('n + 1');
    await input.press('ArrowDown');
    await input.press('ArrowDown');
    expect(await input.inputValue()).toBe('');
  });

  it('shows the value of n under the mouse in the source', async () => {
    // Line 13: "  if (n < 2) return n;"
    await hoverSource(13, '  if ('.length);
    const tooltip = page.locator('.cm-tooltip .variable-hover');
    await expect.poll(() => tooltip.textContent()).toBe('n = 2uint32_t');
    // Away from the name, the tooltip goes. (That a keyword names nothing is
    // source_hover.test.ts's: here its absence could only be waited for.)
    await page.mouse.move(0, 0);
    await expect.poll(() => tooltip.count()).toBe(0);
  });

  it('marks what a step changed', async () => {
    await resume('Step Over'); // to line 14
    await resume('Step Over'); // over left = fib(n - 1), to line 15
    await expect.poll(reason).toMatch(/\(demo\.c:15\)$/);
    await expect.poll(() => rows(scope('Locals'))).toEqual(['left: 1', 'right: <optimized out>']);
    expect(await scope('Locals').getByRole('treeitem', { name: 'left: 1' }).locator('.variable-value').getAttribute('data-changed')).toBe('true');
    expect(await scope('Locals').getByRole('treeitem', { name: 'right: <optimized out>' }).locator('.variable-value').getAttribute('data-changed')).toBeNull();
    expect(await scope('Arguments').getByRole('treeitem', { name: 'n: 2' }).locator('.variable-value').getAttribute('data-changed')).toBeNull();
  });

  it("edits the breakpoint's condition, and the watch follows the next stop", async () => {
    const breakpoints = panel('Breakpoints');
    await breakpoints.getByRole('button', { name: 'Edit breakpoint fib' }).click();
    const editor = breakpoints.getByRole('form', { name: 'Edit breakpoint fib' });
    await editor.getByLabel('Breakpoint condition').fill('n = = 1');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => editor.getByRole('alert').textContent()).toMatch(/^.+column \d+.+$/);
    await editor.getByLabel('Breakpoint condition').fill('n == 1');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => editor.count()).toBe(0);
    await expect.poll(() => breakpoints.locator('.breakpoint-term').allTextContents()).toEqual([' if n == 1']);
    expect(await breakpoints.locator('li .hits').allTextContents()).toEqual(['0 hits']);
    expect(await breakpoints.getByLabel('Breakpoint fib enabled').isChecked()).toBe(true);

    await resume('Continue');
    await expect.poll(frameCalls).toEqual(['fib(n=1)', 'fib(n=3)', 'fib(n=4)', 'fib(n=5)']);
    await expect.poll(() => rows(panel('Watch').getByRole('tree', { name: 'Watch expressions' }))).toEqual(['n * 10: 10']);
  });

  it("sets n in the Variables panel, which changes the call's result", async () => {
    const n = scope('Arguments').getByRole('treeitem', { name: 'n: 1' });
    await n.dblclick();
    const input = scope('Arguments').getByLabel('New value of n');
    await input.fill('n +');
    await input.press('Enter');
    await expect.poll(() => scope('Arguments').getByRole('alert').textContent()).toMatch(/column \d+/);
    await input.press('Escape');
    await expect.poll(() => rows(scope('Arguments'))).toEqual(['n: 1']); // the old value stays
    await scope('Arguments').getByRole('treeitem', { name: 'n: 1' }).dblclick();
    await scope('Arguments').getByLabel('New value of n').fill('5');
    await scope('Arguments').getByLabel('New value of n').press('Enter');
    await expect.poll(() => rows(scope('Arguments'))).toEqual(['n: 5']);
    await expect.poll(frameCalls).toEqual(['fib(n=5)', 'fib(n=3)', 'fib(n=4)', 'fib(n=5)']);

    // fib(1) now returns fib(5) = 5: fib(3) = 1 + 5, fib(4) = 6 + 1, fib(5) = 7 + 2.
    await panel('Breakpoints').getByRole('button', { name: 'Remove breakpoint fib' }).click();
    await resume('Continue');
    await expect.poll(reason).toBe('returned 9');
  });

  it("prints a logpoint's messages in the console, set from the gutter's menu", async () => {
    await page.getByRole('tab', { name: 'Debug Console' }).click();
    await panel('Debug Console').getByRole('button', { name: 'Clear console' }).click();
    await lineNumber(16).click({ button: 'right' });
    await page.getByRole('menu', { name: 'Breakpoint' }).getByRole('menuitem', { name: 'Add Logpoint…' }).click();
    const editor = panel('Source').getByRole('form', { name: 'Edit breakpoint demo.c:16' });
    await editor.getByLabel('Log message').fill('fib({n})');
    await editor.getByRole('button', { name: 'Save' }).click();
    const mark = panel('Source').locator('.breakpoint-marker[data-line="16"]');
    await expect.poll(() => mark.getAttribute('class')).toContain('codicon-debug-breakpoint-log');
    expect(await mark.getAttribute('aria-label')).toBe('Logpoint at demo.c:16, logs fib({n}), 0 hits');

    await debug('fib', { n: '3' });
    await resume('Continue');
    await expect.poll(reason).toBe('returned 2');
    await expect.poll(consoleLines).toEqual(['fib(2)', 'fib(3)']);
    expect(await panel('Debug Console').locator('.console-log').count()).toBe(2);

    // Its menu edits it: a condition too, and it stays a logpoint.
    await lineNumber(16).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Edit Breakpoint…' }).click();
    expect(await editor.getByLabel('Log message').inputValue()).toBe('fib({n})');
    await editor.getByLabel('Breakpoint condition').fill('n == 3');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => mark.getAttribute('aria-label')).toBe('Logpoint at demo.c:16, if n == 3, logs fib({n}), 0 hits');
    await lineNumber(16).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Disable Breakpoint' }).click();
    await expect.poll(() => mark.getAttribute('class')).toContain('codicon-debug-breakpoint-log-disabled');
    await lineNumber(16).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Remove Breakpoint' }).click();
    await expect.poll(() => mark.count()).toBe(0);
  });
});

describe("variables.elf's struct and linked list", () => {
  it('expands a struct to its members and a list through its pointers', async () => {
    await panel('Guest').getByLabel('Guest path').fill(testGuest('variables'));
    await panel('Guest').getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => panel('Guest').locator('dd').first().textContent()).toBe(testGuest('variables'));
    await panel('Breakpoints').getByLabel('Breakpoint location').fill('variables.c:55');
    await panel('Breakpoints').getByRole('button', { name: 'Add', exact: true }).click();
    await debug('variables_shapes', { scale: '9' });
    await resume('Continue');
    await expect.poll(() => rows(scope('Arguments'))).toEqual(['shape: 0xffffc0', 'list: 0xffffa0', 'depth: 3']);
    expect(await scope('Arguments').locator('.variable-type').allTextContents()).toEqual(['struct shape *', 'struct node *', 'int']);

    await scope('Arguments').getByRole('treeitem', { name: 'list: 0xffffa0' }).click();
    const members = scope('Arguments').locator('[role="treeitem"][aria-level="2"]');
    await expect
      .poll(() => members.evaluateAll((items) => items.map((i) => i.getAttribute('data-expression'))))
      .toEqual(['list->value', 'list->name', 'list->next']);
    expect(await members.evaluateAll((items) => items.map((i) => i.getAttribute('aria-label')))).toEqual([
      'value: 1',
      'name: 0x10200d "first"',
      'next: 0xffff80',
    ]);
    // One more: the second node.
    await scope('Arguments').locator('[data-expression="list->next"]').click();
    await expect
      .poll(() =>
        scope('Arguments')
          .locator('[aria-level="3"]')
          .evaluateAll((items) => items.map((i) => i.getAttribute('aria-label'))),
      )
      .toEqual(['value: 2', 'name: 0x102006 "second"', 'next: 0xffff60']);

    // The caller's struct shape, in its frame: its members.
    await panel('Stack').getByRole('button').nth(1).click();
    await expect.poll(frameCalls).toEqual(['visit(shape=0xffffc0, list=0xffffa0, depth=3)', 'variables_shapes(scale=9)']);
    const shape = scope('Locals').locator('[role="treeitem"][data-expression="shape"]');
    await expect.poll(() => shape.locator('.variable-type').textContent()).toBe('struct shape');
    await shape.click();
    await expect
      .poll(() =>
        scope('Locals')
          .locator('[aria-level="2"]')
          .evaluateAll((items) => items.map((i) => i.getAttribute('aria-label'))),
      )
      .toEqual([
        'corners: {{x = 1, y = 2}, {x = 9, y = 6}}',
        'color: GREEN',
        'area: {i = 7, f = 1e-44}',
        'flags: {ready = 1, level = 5, delta = -3}',
        'label: "box"',
      ]);
    await page.screenshot({ path: join(artifacts, 'variables-struct.png') });
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(state).toBe('');
    expect(await panel('Variables').textContent()).toBe('VariablesDebug a call to see its variables.');
  });
});
