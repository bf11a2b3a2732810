// The inspector end to end in browser mode: Debian's Chromium (driven by playwright-core)
// against `microscope serve` with the real engine. Screenshots of each state go to
// dist/test-artifacts/.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';

import { demoGuestPath, projectRoot, testGuest } from '../helpers.js';
import { artifacts, servedInspector } from './served_inspector.js';

const inspector = servedInspector('failed-', async (page) => {
  const profiling = page.getByLabel('Profile progress').getByRole('button', { name: 'Cancel' });
  if (await profiling.count()) await profiling.click();
});
let page: Page;
beforeAll(() => {
  page = inspector.page;
});

const panel = (name: string) => page.getByRole('region', { name });
const state = () => page.getByRole('status', { name: 'Debugger state' }).textContent();
const reason = () => page.getByLabel('Stop reason').textContent();
const shot = (name: string) => page.screenshot({ path: join(artifacts, `${name}.png`) });
/** A call's outcome without its time: "5 i64" of "5 i64 · 41.2 µs". */
const outcome = async (form: ReturnType<Page['getByRole']>) => (await form.locator('output').textContent())?.replace(/ · [\d.]+ [nµm]?s/, '');

async function chooseFunction(name: string) {
  await panel('Functions')
    .getByRole('button', { name: new RegExp(`\\b${name}\\(`) })
    .click();
}

/** Chooses `name` in the Functions panel and fills its form's fields; returns the form. */
async function fillCall(name: string, fields: Record<string, string> = {}) {
  await chooseFunction(name);
  const form = page.getByRole('form', { name: `Call ${name}` });
  for (const [field, value] of Object.entries(fields)) await form.getByLabel(field, { exact: true }).fill(value);
  return form;
}

describe('the inspector in a browser', () => {
  it('loads the demo guest at first start', async () => {
    await expect.poll(() => panel('Functions').getByRole('button', { name: 'i64 add(i64 a, i64 b)' }).count()).toBe(1);
    await expect.poll(() => panel('Guest').textContent()).toContain('demo.elf');
    expect(await panel('Guest').textContent()).toMatch(/Backend\s*emulated/);
    await shot('loaded');
  });

  it('calls add(2, 3) and shows 5', async () => {
    const form = await fillCall('add', { a: '2', b: '3' });
    await form.getByRole('button', { name: 'Call' }).click();
    await expect.poll(() => outcome(form)).toBe('5 i64');
    expect(await form.getByLabel('Call time').textContent()).toMatch(/^ · [\d.]+ [nµm]?s$/);
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
    await expect.poll(() => outcome(form)).toMatch(/^#PF page fault at 0x[0-9a-f]+ \(crash_null\+0x[0-9a-f]+\), CR2 0x0 Debug this call$/);
    await shot('fault');
    // The same call under the debugger: paused at its entry, the fault's result gone.
    await form.getByRole('button', { name: 'Debug this call' }).click();
    await expect.poll(reason).toMatch(/^at the entry of crash_null \(demo\.c:\d+\)$/);
    expect(await form.locator('output').count()).toBe(0);
    await page.keyboard.press('F5');
    await expect.poll(reason).toMatch(/^#PF \(page fault\) in crash_null\+0x[0-9a-f]+/);
    await page.keyboard.press('Shift+F5');
    await expect.poll(state).toBe('');
  });

  it('debugs fib(5): a breakpoint, continue, a step, registers and memory at RSP', async () => {
    const form = await fillCall('fib', { n: '5' });
    await form.getByRole('button', { name: 'Debug' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Debugger state' }).textContent()).toBe('Paused');
    const current = panel('Disassembly').locator('tr[aria-current="true"]');
    await expect.poll(() => current.textContent()).toContain('fib');
    const fib = await current.locator('td.address').textContent();
    // The breakpoint gutter: on fib's first instruction.
    await current.getByRole('button', { name: `Set breakpoint at ${fib}` }).click();
    await expect.poll(() => current.getByRole('button', { name: `Clear breakpoint at ${fib}` }).count()).toBe(1);

    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    const rdi = panel('Registers').locator('tr[data-register="rdi"] code');
    await expect.poll(() => rdi.textContent()).toBe('0x4'); // fib(4), called by fib(5)
    expect(await rdi.getAttribute('class')).toBe('changed');
    const rip = panel('Registers').locator('tr[data-register="rip"] code');
    expect(await rip.textContent()).toBe(fib);

    await panel('Disassembly').locator('.code-grid').focus();
    await page.keyboard.press('F11'); // Step Into in the Disassembly: one instruction
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

    // The caller's frame: its code, and the memory at its stack pointer.
    const frames = panel('Stack').getByRole('button');
    await expect.poll(() => frames.count()).toBe(2); // fib(4), called by fib(5)
    await frames.nth(1).click();
    const callerRow = panel('Disassembly').locator('tr[aria-current="true"]');
    await expect.poll(() => callerRow.locator('td.symbol').textContent()).toMatch(/^fib\+0x[0-9a-f]+$/);
    expect(await callerRow.locator('td.address').textContent()).not.toBe(newRip);
    const callerRsp = BigInt((await frames.nth(1).locator('.frame-sp').textContent())!.replace(' sp ', ''));
    expect(callerRsp).toBeGreaterThan(rsp);
    await expect
      .poll(() =>
        panel('Memory')
          .locator(`[data-address="0x${(callerRsp & ~0xfn).toString(16)}"]`)
          .count(),
      )
      .toBe(1);

    // Watch the 8 bytes at RSP (fib(4) has pushed RBP there) for reads, with the breakpoint
    // off: the next stop is right after fib(4)'s `pop rbp` reads them back, at its `ret`.
    await frames.nth(0).click();
    const bytes = panel('Memory').locator(`[data-address="0x${(rsp & ~0xfn).toString(16)}"] [role="gridcell"]`);
    await bytes.nth(Number(rsp & 0xfn)).click();
    await bytes.nth(Number(rsp & 0xfn) + 7).click({ modifiers: ['Shift'] });
    const selection = panel('Memory').getByLabel('Selection', { exact: true });
    expect(await selection.textContent()).toContain(`0x${rsp.toString(16)}8 bytes`);
    await selection.getByLabel('Watch for').selectOption('read');
    await selection.getByRole('button', { name: 'Watch' }).click();
    const breakpoints = panel('Breakpoints');
    await expect.poll(() => breakpoints.getByLabel(`Watchpoint 0x${rsp.toString(16)} enabled`).isChecked()).toBe(true);
    // Named where it is: fib's first instruction.
    expect(await breakpoints.locator('.point-name').allTextContents()).toEqual(['fib']);
    await breakpoints.getByLabel('Breakpoint fib enabled').click(); // off once the engine says so
    await expect.poll(() => breakpoints.getByLabel('Breakpoint fib enabled').isChecked()).toBe(false);
    await page.keyboard.press('F5');
    // The read, with the value read: the RBP fib(4) saved, fib(5)'s frame pointer.
    await expect
      .poll(reason)
      .toMatch(new RegExp(`^watchpoint \\d+ in fib\\+0x[0-9a-f]+ \\(demo\\.c:\\d+\\): read of 8 bytes at 0x${rsp.toString(16)}, value 0x[0-9a-f]+$`));
    expect(await panel('Disassembly').locator('tr[aria-current="true"] td.code').textContent()).toBe('ret ');
    expect(await breakpoints.locator('li', { hasText: 'read' }).locator('.hits').textContent()).toBe('1 hits');
    await shot('watchpoint');
    await breakpoints.getByRole('button', { name: `Remove watchpoint 0x${rsp.toString(16)}` }).click();
    await breakpoints.getByLabel('Breakpoint fib enabled').click();
    await expect.poll(() => breakpoints.getByLabel('Breakpoint fib enabled').isChecked()).toBe(true);

    await page.keyboard.press('Shift+F5'); // Stop
    await expect.poll(state).toBe('');
  });

  it('traces fib(10) as a flame chart, and exports it as Chrome trace JSON', async () => {
    const form = await fillCall('fib', { n: '10' });
    await form.getByRole('button', { name: 'Trace' }).click();
    const trace = panel('Call trace');
    await expect.poll(() => trace.getByLabel('Trace outcome').textContent()).toBe('→ 55');
    const fibRow = trace.getByRole('table', { name: 'Time by function' }).locator('tr', { hasText: 'fib' });
    expect(await fibRow.locator('td').nth(1).textContent()).toBe('177');
    const bars = trace.getByRole('group', { name: 'Flame chart' }).locator('.bar.function');
    const drawn = await bars.count();
    const note = trace.getByText(/events too short to draw/);
    const hidden = (await note.count()) ? Number((await note.textContent())!.replace(/[^0-9]/g, '')) : 0;
    expect(drawn + hidden).toBe(177);
    await trace.getByRole('button', { name: 'Zoom in' }).click();
    await trace
      .getByRole('group', { name: 'Flame chart' })
      .getByRole('button', { name: /^function fib\(n=\d+\), / })
      .first()
      .click();
    expect(await trace.getByLabel('Picked event').textContent()).toMatch(
      /^functionfib\(n=\d+\) 0x[0-9a-f]+Start[0-9.]+ [nµm]?sDuration[0-9.]+ [nµm]?sSelf[0-9.]+ [nµm]?sDepth\d+$/,
    );
    await shot('trace-fib');

    const [download] = await Promise.all([page.waitForEvent('download'), trace.getByRole('button', { name: 'Export Chrome trace' }).click()]);
    expect(download.suggestedFilename()).toBe('fib_10_.trace.json');
    const chrome = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { traceEvents: { name: string; ph: string }[] };
    expect(chrome.traceEvents.filter((e) => e.name === 'fib' && e.ph === 'X')).toHaveLength(177);
  });

  it('takes two snapshots and shows the bytes that differ', async () => {
    await page.getByRole('tab', { name: 'Snapshots' }).click();
    const snapshots = panel('Snapshots');
    await expect.poll(() => snapshots.getByLabel('Compare after init').count()).toBe(1);
    const form = await fillCall('greet', { name: 'Ada' });
    await form.getByRole('button', { name: 'Call' }).click();
    await expect.poll(() => form.locator('output').textContent()).toContain('Hello, Ada!');
    await snapshots.getByLabel('Snapshot label').fill('greeted');
    await snapshots.getByRole('button', { name: 'Take snapshot' }).click();
    await snapshots.getByLabel('Compare after init').check();
    await snapshots.getByLabel('Compare greeted').check();
    await snapshots.getByRole('button', { name: 'Compare the two' }).click();
    await expect.poll(() => snapshots.getByLabel('Difference summary').textContent()).toMatch(/^\d+ bytes differ in \d+ pages$/);
    const hello = snapshots.locator('tbody tr', { hasText: '48 65 6c 6c 6f 2c 20 41 64 61 21' });
    expect(await hello.count()).toBeGreaterThan(0);
    await shot('snapshots');
    const address = (await hello.first().locator('button').textContent())!;
    await hello.first().locator('button').click();
    const row = panel('Memory').locator(`[data-address="0x${(BigInt(address) & ~0xfn).toString(16)}"]`);
    await expect.poll(() => row.locator('.ascii').textContent()).toMatch(/H|e|l|o|A|d|!/);
  });

  it('profiles add(2, 3) warm and cold, overlays the runs, imports a CLI profile, exports PNG', async () => {
    const form = await fillCall('add', { a: '2', b: '3' });
    await page.getByRole('tab', { name: 'Latency' }).click();
    const latency = panel('Latency');
    await latency.getByLabel('Mode').selectOption('warm');
    await latency.getByLabel('Calls', { exact: true }).fill('20000');
    await form.getByRole('button', { name: 'Profile' }).click();
    const runs = latency.getByRole('list', { name: 'Runs' }).getByRole('listitem');
    await expect.poll(() => runs.first().textContent()).toMatch(/^#\d+ add\(2, 3\) warm · emulated 20,000 calls, p50 \d/);
    for (const figure of ['Latency histogram', 'Percentile curve', 'Phases']) {
      await expect.poll(() => latency.getByRole('figure', { name: figure }).locator('.recharts-wrapper > svg.recharts-surface').count()).toBe(1);
    }
    expect(await latency.getByRole('figure', { name: 'Latency histogram' }).getByText('p99.9').count()).toBe(1);

    // Cold, from the panel: a new sandbox per call, many times the warm call.
    await latency.getByLabel('Mode').selectOption('cold');
    await latency.getByLabel('Calls', { exact: true }).fill('50');
    await latency.getByRole('form', { name: 'Profile settings' }).getByRole('button', { name: 'Profile' }).click();
    await expect.poll(() => runs.count()).toBe(2);
    const p50 = latency.getByRole('table', { name: 'Ratios' }).locator('tr', { hasText: 'p50' }).locator('td').nth(1);
    const coldOverWarm = Number((await p50.textContent())!.match(/ ([\d.]+)×$/)![1]);
    expect(coldOverWarm).toBeGreaterThan(10);
    // More room for the charts: the code above, the tabs below, split 3:7.
    const middle = page.getByRole('separator', { name: 'Resize middle 1' });
    await middle.focus();
    for (let i = 0; i < 15; i++) await page.keyboard.press('ArrowUp');
    await shot('latency');

    // A profile made by the CLI, perhaps on a KVM host, overlaid.
    const saved = join(artifacts, 'cli-profile.json');
    execFileSync(process.execPath, [join(projectRoot, 'dist/native/node/cli/main.js'), 'bench', 'demo', 'fib', '8', '--iterations', '500', '--out', saved]);
    await latency.getByLabel('Profile file').setInputFiles(saved);
    await expect.poll(() => runs.count()).toBe(3);
    expect(await runs.nth(2).textContent()).toMatch(/^#\d+ fib\(8\) restore · emulated 500 calls, p50 .*, imported \(/);
    expect(await latency.getByRole('table', { name: 'Ratios' }).locator('thead th').count()).toBe(4);

    const [png] = await Promise.all([page.waitForEvent('download'), latency.getByRole('button', { name: 'Export PNG' }).click()]);
    expect(png.suggestedFilename()).toBe('latency.png');
    expect(
      readFileSync((await png.path())!)
        .subarray(0, 8)
        .toString('hex'),
    ).toBe('89504e470d0a1a0a');
    const [json] = await Promise.all([page.waitForEvent('download'), runs.first().getByRole('button', { name: 'JSON' }).click()]);
    expect(JSON.parse(readFileSync((await json.path())!, 'utf8'))).toMatchObject({ format: 'microscope-profile/1', function: 'add', iterations: 20000 });
  });

  it('cancels a profile mid-run, and the session goes on', async () => {
    const latency = panel('Latency');
    await latency.getByLabel('Function').selectOption('fib');
    await latency.getByLabel('Arguments').fill('15');
    await latency.getByLabel('Mode').selectOption('restore');
    await latency.getByLabel('Run for').selectOption('seconds');
    await latency.getByLabel('Seconds').fill('120');
    await latency.getByRole('form', { name: 'Profile settings' }).getByRole('button', { name: 'Profile' }).click();
    const progress = latency.getByLabel('Profile progress');
    await expect.poll(() => progress.textContent()).toMatch(/measuring: [\d,]+ calls/);
    await progress.getByRole('button', { name: 'Cancel' }).click();
    const runs = latency.getByRole('list', { name: 'Runs' }).getByRole('listitem');
    await expect.poll(() => runs.last().textContent()).toMatch(/^#\d+ fib\(15\) restore · emulated [\d,]+ calls?, p50 .*, cancelled/);
    await chooseFunction('add');
    const form = page.getByRole('form', { name: 'Call add' });
    await form.getByRole('button', { name: 'Call' }).click();
    await expect.poll(() => outcome(form)).toBe('5 i64');
    await latency.getByLabel('Run for').selectOption('calls');
  });

  it('resizes the panes with the keyboard, and keeps the sizes', async () => {
    const handle = page.getByRole('separator', { name: 'Resize columns 1' });
    const left = page.locator('.pane').first();
    const before = (await left.boundingBox())!.width;
    const share = Number(await handle.getAttribute('aria-valuenow'));
    await handle.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    expect(Number(await handle.getAttribute('aria-valuenow'))).toBe(share + 6);
    expect((await left.boundingBox())!.width).toBeGreaterThan(before + 50);
    expect(await page.evaluate("localStorage.getItem('microscope.split.columns')")).toMatch(/^\[/);
  });

  it('stops a spinning call from the toolbar', async () => {
    // No breakpoints in spin: the one on fib stays but never hits.
    await chooseFunction('spin');
    await page.getByRole('form', { name: 'Call spin' }).getByRole('button', { name: 'Debug' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Debugger state' }).textContent()).toBe('Paused');
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Debugger state' }).textContent()).toBe('Running…');
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Debugger state' }).textContent()).toBe('Paused');
    expect(await panel('Disassembly').locator('tr[aria-current="true"]').textContent()).toContain('spin');
    await shot('spin-paused');
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Debugger state' }).textContent()).toBe('');
  });

  it('says when the engine process dies, and restarts it with the guest and breakpoints', async () => {
    const engine = execFileSync('pgrep', ['-P', String(inspector.server.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')[0]!;
    process.kill(Number(engine), 'SIGKILL');
    const alert = panel('Guest').getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('The engine stopped (killed by SIGKILL)');
    await shot('engine-stopped');
    await alert.getByRole('button', { name: 'Restart the engine' }).click();
    await expect.poll(() => alert.count()).toBe(0);
    const form = await fillCall('add', { a: '40', b: '2' });
    await form.getByRole('button', { name: 'Call' }).click();
    await expect.poll(() => outcome(form)).toBe('42 i64');
    // The breakpoint on fib survived: the next debug of fib stops there after the entry.
    await chooseFunction('fib');
    await page.getByRole('form', { name: 'Call fib' }).getByRole('button', { name: 'Debug' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Debugger state' }).textContent()).toBe('Paused');
    await expect.poll(() => panel('Disassembly').locator('button.breakpoint.on').count()).toBe(1);
    await page.keyboard.press('Shift+F5');
  });

  it('opens a guest from a file picked in the browser: its bytes go to the engine', async () => {
    await panel('Guest')
      .getByLabel('Guest file')
      .setInputFiles({ name: 'copy-of-demo.elf', mimeType: 'application/octet-stream', buffer: readFileSync(demoGuestPath) });
    await expect.poll(() => panel('Guest').locator('dd').first().textContent()).toBe('copy-of-demo.elf');
    await panel('Guest')
      .getByLabel('Guest file')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an ELF') });
    // Said in the Guest panel, where it was opened, not in a banner.
    await expect.poll(() => panel('Guest').getByLabel('Load problem').textContent()).toMatch(/ELF/);
    expect(await page.locator('.app > [role="alert"]').count()).toBe(0);
    // Nothing lost: the guest loaded before is still there.
    expect(await panel('Guest').locator('dd').first().textContent()).toBe('copy-of-demo.elf');
  });

  it('stays responsive under a guest that prints 100 MiB, and one killed mid-call', async () => {
    await panel('Guest').getByLabel('Guest path').fill(testGuest('hostile'));
    await panel('Guest').getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => panel('Guest').locator('dd').first().textContent()).toBe(testGuest('hostile'));
    const form = await fillCall('print_mebibytes', { mib: '100' });
    await form.getByRole('button', { name: 'Call' }).click();
    await expect
      .poll(() => form.locator('output').textContent(), { timeout: 60_000 })
      .toContain('Output truncated: the engine keeps the first 1 MiB a call prints.');
    expect((await form.locator('pre.output').textContent())!.length).toBe(1 << 20);

    // A call that never ends, and the engine killed under it.
    await chooseFunction('never_halts');
    await page.getByRole('form', { name: 'Call never_halts' }).getByRole('button', { name: 'Call' }).click();
    await expect.poll(() => page.getByRole('form', { name: 'Call never_halts' }).getByRole('button', { name: 'Cancel' }).count()).toBe(1);
    const engine = execFileSync('pgrep', ['-P', String(inspector.server.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')[0]!;
    process.kill(Number(engine), 'SIGKILL');
    // Said where the call was made, and by the Guest panel.
    await expect.poll(() => page.getByRole('form', { name: 'Call never_halts' }).getByRole('alert').textContent()).toMatch(/^refused: .*engine/i);
    await expect.poll(() => panel('Guest').getByRole('alert').textContent()).toMatch(/the engine stopped/i);
    expect(await page.evaluate('1 + 1')).toBe(2); // the page itself answers
    await panel('Guest').getByRole('alert').getByRole('button', { name: 'Restart the engine' }).click();
    await expect.poll(() => panel('Guest').getByRole('alert').count()).toBe(0);
    const fine = await fillCall('still_fine', { x: '41' });
    await fine.getByRole('button', { name: 'Call' }).click();
    await expect.poll(() => outcome(fine)).toBe('42 i64');
  });

  it('loads the bundled SQLite guest and runs a query in it', async () => {
    await panel('Guest').getByRole('button', { name: 'SQLite', exact: true }).click();
    await expect.poll(() => panel('Guest').locator('dd').first().textContent()).toMatch(/sqlite\.elf$/);
    const form = await fillCall('exec', { sql: "select 6 * 7 as answer, 'scope' as name" });
    await form.getByRole('button', { name: 'Call' }).click();
    await expect.poll(() => form.locator('output').textContent()).toContain('{"columns":["answer","name"],"rows":[[42,"scope"]],"changes":0}');
    const failing = await fillCall('exec', { sql: 'selec 1' });
    await failing.getByRole('button', { name: 'Call' }).click();
    await expect.poll(() => outcome(failing)).toBe('abort code 1: near "selec": syntax error');
    await shot('sqlite');
  });

  it('caps a trace of millions of calls, says so, and stays responsive', async () => {
    await panel('Guest').getByRole('button', { name: 'Demo', exact: true }).click();
    await expect.poll(() => panel('Guest').locator('dd').first().textContent()).toMatch(/demo\.elf$/);
    await chooseFunction('fib');
    const form = page.getByRole('form', { name: 'Call fib' });
    await form.getByLabel('n', { exact: true }).fill('33'); // 11.4 million calls
    await form.getByRole('button', { name: 'Trace' }).click();
    const trace = panel('Call trace');
    await expect.poll(() => trace.getByLabel('Trace outcome').textContent(), { timeout: 120_000 }).toBe('→ 3524578');
    expect(await trace.textContent()).toContain('1,000,000 events (truncated)');
    expect(await trace.getByRole('group', { name: 'Flame chart' }).locator('.bar').count()).toBeLessThanOrEqual(5000);
    expect(await page.evaluate('1 + 1')).toBe(2);
    await shot('trace-truncated');
  }, 180_000);
});
