// The inspector end to end in browser mode: Debian's Chromium (driven by playwright-core)
// against `microscope serve` with the real engine. Screenshots of each state go to
// dist/test-artifacts/.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { projectRoot } from '../helpers.js';

const artifacts = join(projectRoot, 'dist/test-artifacts');
let server: ChildProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = spawn(process.execPath, [join(projectRoot, 'dist/native/cli/main.js'), 'serve', '--port', '0']);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.kill();
});

const panel = (name: string) => page.getByRole('region', { name });
const shot = (name: string) => page.screenshot({ path: join(artifacts, `${name}.png`) });

async function chooseFunction(name: string) {
  await panel('Functions').getByRole('button', { name: new RegExp(`\\b${name}\\(`) }).click();
}

describe('the inspector in a browser', () => {
  it('loads the demo guest at first start', async () => {
    await expect.poll(() => panel('Functions').getByRole('button', { name: 'i64 add(i64 a, i64 b)' }).count()).toBe(1);
    await expect.poll(() => panel('Guest').textContent()).toContain('demo.elf');
    expect(await panel('Guest').textContent()).toMatch(/Backend\s*emulated/);
    await shot('loaded');
  });

  it('calls add(2, 3) and shows 5', async () => {
    await chooseFunction('add');
    const form = page.getByRole('form', { name: 'Call add' });
    await form.getByLabel('a', { exact: true }).fill('2');
    await form.getByLabel('b', { exact: true }).fill('3');
    await form.getByRole('button', { name: 'Call' }).click();
    await expect.poll(() => form.locator('output').textContent()).toBe('5 i64');
    // Checked as you type: not an integer.
    await form.getByLabel('a', { exact: true }).fill('2x');
    expect(await form.getByLabel('a', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByRole('button', { name: 'Call' }).isDisabled()).toBe(true);
    await shot('call-add');
  });

  it('calls crash_null and shows the #PF at address 0 with its symbol', async () => {
    await chooseFunction('crash_null');
    const form = page.getByRole('form', { name: 'Call crash_null' });
    await form.getByRole('button', { name: 'Call' }).click();
    await expect.poll(() => form.locator('output').textContent()).toMatch(/^#PF at 0x[0-9a-f]+ \(crash_null\+0x[0-9a-f]+\), CR2 0x0$/);
    await shot('fault');
  });

  it('debugs fib(5): a breakpoint, continue, a step, registers and memory at RSP', async () => {
    await chooseFunction('fib');
    const form = page.getByRole('form', { name: 'Call fib' });
    await form.getByLabel('n', { exact: true }).fill('5');
    await form.getByRole('button', { name: 'Debug' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Debugger state' }).textContent()).toBe('Paused');
    const current = panel('Disassembly').locator('tr[aria-current="true"]');
    await expect.poll(() => current.textContent()).toContain('fib');
    const fib = await current.locator('td.address').textContent();
    // The breakpoint gutter: on fib's first instruction.
    await current.getByRole('button', { name: `Set breakpoint at ${fib}` }).click();
    await expect.poll(() => current.getByRole('button', { name: `Clear breakpoint at ${fib}` }).count()).toBe(1);

    await page.getByRole('button', { name: 'Continue' }).click();
    const rdi = panel('Registers').locator('tr[data-register="rdi"] code');
    await expect.poll(() => rdi.textContent()).toBe('0x4'); // fib(4), called by fib(5)
    expect(await rdi.getAttribute('class')).toBe('changed');
    const rip = panel('Registers').locator('tr[data-register="rip"] code');
    expect(await rip.textContent()).toBe(fib);

    await page.keyboard.press('F11'); // Step Into: one instruction
    await expect.poll(() => rip.textContent()).not.toBe(fib);
    expect(await rip.getAttribute('class')).toBe('changed');
    const newRip = await rip.textContent();
    await expect.poll(() => panel('Disassembly').locator('tr[aria-current="true"] td.address').textContent()).toBe(newRip);

    // The memory panel follows RSP: its row holds the return address into fib.
    const rsp = BigInt((await panel('Registers').locator('tr[data-register="rsp"] code').textContent())!);
    const row = panel('Memory').locator(`[data-address="0x${(rsp & ~0xfn).toString(16)}"]`);
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => row.locator('.bytes').textContent()).not.toContain('··');
    await shot('debug-fib');
    await page.keyboard.press('Shift+F5'); // Stop
    await expect.poll(() => page.getByRole('status', { name: 'Debugger state' }).textContent()).toBe('');
  });

  it('stops a spinning call from the toolbar', async () => {
    // No breakpoints in spin: the one on fib stays but never hits.
    await chooseFunction('spin');
    await page.getByRole('form', { name: 'Call spin' }).getByRole('button', { name: 'Debug' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Debugger state' }).textContent()).toBe('Paused');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Debugger state' }).textContent()).toBe('Running…');
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Debugger state' }).textContent()).toBe('Paused');
    expect(await panel('Disassembly').locator('tr[aria-current="true"]').textContent()).toContain('spin');
    await shot('spin-paused');
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Debugger state' }).textContent()).toBe('');
  });

  it('says when the engine process dies, and restarts it with the guest and breakpoints', async () => {
    const engine = execFileSync('pgrep', ['-P', String(server.pid)], { encoding: 'utf8' }).trim().split('\n')[0]!;
    process.kill(Number(engine), 'SIGKILL');
    const alert = panel('Guest').getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('The engine stopped (killed by SIGKILL)');
    await shot('engine-stopped');
    await alert.getByRole('button', { name: 'Restart the engine' }).click();
    await expect.poll(() => alert.count()).toBe(0);
    await chooseFunction('add');
    const form = page.getByRole('form', { name: 'Call add' });
    await form.getByLabel('a', { exact: true }).fill('40');
    await form.getByLabel('b', { exact: true }).fill('2');
    await form.getByRole('button', { name: 'Call' }).click();
    await expect.poll(() => form.locator('output').textContent()).toBe('42 i64');
    // The breakpoint on fib survived: the next debug of fib stops there after the entry.
    await chooseFunction('fib');
    await page.getByRole('form', { name: 'Call fib' }).getByRole('button', { name: 'Debug' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Debugger state' }).textContent()).toBe('Paused');
    await expect.poll(() => panel('Disassembly').locator('button.breakpoint.on').count()).toBe(1);
    await page.keyboard.press('Shift+F5');
  });
});
