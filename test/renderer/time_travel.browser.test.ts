// Time travel end to end, as the other browser tests run the inspector: Chromium against
// `microscope serve` with the real engine (emulated here, so Debug records by default). The
// demo's fib(5) with a breakpoint at fib stops at the entry of each call, 10 instructions
// apart (fib(4) at 10, fib(3) at 20, fib(2) at 30); it is stepped back, reverse-continued,
// gone to by clicks, drags and keys on the timeline, and gone back in after its end.
// time_travel.elf's fib writes the global last_n in every call: where it was written, and
// where a register and a byte of the stack were.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';

import { chooseFib, timelineMarks, timelineSlider } from '../../native/node/tools/inspector_steps.js';
import { testGuest } from '../helpers.js';
import { servedInspector } from './served_inspector.js';

const inspector = servedInspector('failed-time-travel-');
let page: Page;
beforeAll(() => {
  page = inspector.page;
});

const panel = (name: string) => page.getByRole('region', { name });
const state = () => page.getByRole('status', { name: 'Debugger state' }).textContent();
const reason = () => page.getByLabel('Stop reason').textContent();
const position = async () => Number(await timelineSlider(page).getAttribute('aria-valuenow'));
const currentLine = async () => Number(await panel('Source').locator('.cm-line[aria-current="true"]').getAttribute('data-line'));
const register = (name: string) => panel('Registers').locator(`tr[data-register="${name}"] code`).textContent();
const button = (name: string) => page.getByRole('button', { name, exact: true });

/** `act` done, and the call stopped at another position: the one it is at now. */
async function moved(act: () => Promise<void>): Promise<number> {
  const before = await position();
  await act();
  await expect.poll(position).not.toBe(before);
  await expect.poll(state).toBe('Paused');
  return position();
}

/** The x, from the timeline's left, of `at` on a timeline that ends at `end`; and the timeline's box. */
async function timelineX(at: number, end: number) {
  const box = (await timelineSlider(page).boundingBox())!;
  return { box, x: (at / end) * box.width };
}

/** A click on the timeline `x` pixels from its left (the mouse's: a mark there may be what it hits). */
async function clickTimeline(x: number) {
  const box = (await timelineSlider(page).boundingBox())!;
  await page.mouse.click(box.x + x, box.y + box.height / 2);
}

describe('a recorded call of fib(5), a breakpoint at fib', () => {
  it('records by default, and marks each breakpoint hit on the timeline', async () => {
    await expect
      .poll(() =>
        panel('Functions')
          .getByRole('button', { name: /\bfib\(/ })
          .count(),
      )
      .toBe(1);
    expect(await page.getByRole('checkbox', { name: 'Record (time travel)' }).isChecked()).toBe(true);
    await panel('Breakpoints').getByLabel('Breakpoint location').fill('fib');
    await panel('Breakpoints').getByRole('button', { name: 'Add', exact: true }).click();
    const form = await chooseFib(page, '5');
    await form.getByRole('button', { name: 'Debug', exact: true }).click();
    await expect.poll(state).toBe('Paused');
    await expect.poll(() => timelineSlider(page).getAttribute('aria-valuenow')).toBe('0');
    expect(await button('Step Back').isEnabled()).toBe(true);
    for (const at of [10, 20, 30]) expect(await moved(() => button('Continue').click())).toBe(at);
    expect(await reason()).toBe('breakpoint 1 in fib (demo.c:13)');
    await expect.poll(() => timelineMarks(page)).toEqual(['breakpoint 1 hit at 10', 'breakpoint 1 hit at 20', 'breakpoint 1 hit at 30']);
    const timeline = panel('Timeline');
    expect(await timelineSlider(page).getAttribute('aria-valuemax')).toBe('30');
    expect(await timeline.getByLabel('Position', { exact: true }).textContent()).toBe('instruction 30 of 30');
    expect(await timeline.getByLabel('Recording size').textContent()).toMatch(/^recording: \d+\.\d MiB, 1 checkpoint$/);
    // The ruler counts instructions, a round step apart (5 of 30 across some 800 pixels).
    expect((await timeline.locator('.timeline-tick').allTextContents()).slice(0, 4)).toEqual(['0', '5', '10', '15']);
  });

  it('steps back with the button and with Alt+F10: the position, the line and the registers follow', async () => {
    // At the entry of fib(2), n in rdi; a line back is fib(3)'s call of fib(n - 1), on line 14.
    expect(await register('rdi')).toBe('0x2');
    const rip = await register('rip');
    expect(await currentLine()).toBe(13);
    const back = await moved(() => button('Step Back').click());
    expect(back).toBeLessThan(30);
    await expect.poll(currentLine).toBe(14);
    expect(await register('rip')).not.toBe(rip);
    expect(await reason()).toMatch(/^stepped to fib\+0x[0-9a-f]+ \(demo\.c:14\)$/);
    expect(await panel('Timeline').getByLabel('Position', { exact: true }).textContent()).toBe(`instruction ${back} of 30`);
    // Alt+F10: the line before that, fib(3)'s `if`.
    const further = await moved(() => page.keyboard.press('Alt+F10'));
    expect(further).toBeLessThan(back);
    await expect.poll(currentLine).toBe(13);
    expect(await register('rdi')).toBe('0x3');
  });

  it('reverse-continues to the hit before, with the button and with Alt+F5', async () => {
    expect(await moved(() => button('Reverse Continue').click())).toBe(20);
    expect(await reason()).toBe('breakpoint 1 in fib (demo.c:13)');
    expect(await register('rdi')).toBe('0x3');
    expect(await moved(() => page.keyboard.press('Alt+F5'))).toBe(10);
    expect(await register('rdi')).toBe('0x4');
    // Still the whole recording, to go forward in again.
    expect(await timelineSlider(page).getAttribute('aria-valuemax')).toBe('30');
  });

  it('goes where the timeline is clicked, a click beside a hit to the hit itself', async () => {
    const { box } = await timelineX(0, 30);
    // Near the start: 3 of 30 instructions in.
    const near = Math.round((3 / 30) * box.width);
    const at = await moved(() => clickTimeline(near));
    expect(at).toBe(Math.round((near / box.width) * 30));
    expect(await register('rip')).toBe(await panel('Disassembly').locator('tr[aria-current="true"] td.address').textContent());
    const { x } = await timelineX(20, 30);
    expect(await moved(() => clickTimeline(x + 2))).toBe(20);
    expect(await register('rdi')).toBe('0x3');
  });

  it('follows a drag to where it ends, and takes the keys of a slider', async () => {
    const { box } = await timelineX(0, 30);
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.05, y);
    await page.mouse.down();
    for (const fraction of [0.2, 0.35, 0.5, 0.65, 0.8]) await page.mouse.move(box.x + box.width * fraction, y, { steps: 3 });
    await page.mouse.up();
    await expect.poll(position).toBe(Math.round(0.8 * 30));
    await expect.poll(state).toBe('Paused');
    await expect.poll(async () => (await page.getByLabel('Stop reason').textContent())!.length).toBeGreaterThan(0);
    // The focus is on the slider now: its keys.
    expect(await moved(() => page.keyboard.press('ArrowLeft'))).toBe(23);
    expect(await moved(() => page.keyboard.press('Home'))).toBe(0);
    expect(await reason()).toMatch(/^at the start of the recording|^stepped to/);
    expect(await moved(() => page.keyboard.press('PageUp'))).toBe(1);
    expect(await moved(() => page.keyboard.press('End'))).toBe(30);
    expect(await register('rdi')).toBe('0x2');
  });

  it('goes back in the call after its end, which makes it active again', async () => {
    await panel('Breakpoints')
      .getByRole('button', { name: /^Remove/ })
      .first()
      .click();
    await expect
      .poll(() =>
        panel('Breakpoints')
          .getByRole('button', { name: /^Remove/ })
          .count(),
      )
      .toBe(0);
    await button('Continue').click();
    await expect.poll(reason).toBe('returned 5');
    expect(await state()).toBe('');
    const end = await position();
    expect(await panel('Timeline').getByLabel('Position', { exact: true }).textContent()).toBe(`instruction ${end} of ${end} (the call ended)`);
    // The timeline still goes back, and so do the buttons.
    const { box } = await timelineX(0, end);
    const at = await moved(() => clickTimeline(box.width * 0.5));
    expect(at).toBe(Math.round(0.5 * end));
    expect(await state()).toBe('Paused');
    expect(await button('Continue').isEnabled()).toBe(true);
    expect(await moved(() => button('Step Back Into Instruction').click())).toBe(at - 1);
    await button('Stop').click();
    await expect.poll(() => panel('Timeline').count()).toBe(0);
  });
});

describe("where a variable was written, in time_travel.elf's fib_of(5)", () => {
  it('answers with the position, the instruction and its line, the values, and goes there', async () => {
    await panel('Guest').getByLabel('Guest path').fill(testGuest('time_travel'));
    await panel('Guest').getByRole('button', { name: 'Open', exact: true }).click();
    await expect
      .poll(() =>
        panel('Functions')
          .getByRole('button', { name: /\bfib_of\(/ })
          .count(),
      )
      .toBe(1);
    await panel('Breakpoints').getByLabel('Breakpoint location').fill('fib');
    await panel('Breakpoints').getByRole('button', { name: 'Add', exact: true }).click();
    await panel('Functions')
      .getByRole('button', { name: /\bfib_of\(/ })
      .click();
    const form = page.getByRole('form', { name: 'Call fib_of' });
    await form.getByLabel('n', { exact: true }).fill('5');
    await form.getByRole('button', { name: 'Debug', exact: true }).click();
    await expect.poll(state).toBe('Paused');
    await timelineSlider(page).waitFor();
    // fib(5), fib(4), fib(3): each writes last_n first thing.
    for (let i = 0; i < 3; i++) await moved(() => button('Continue').click());
    const here = await position();
    await panel('Variables').getByRole('button', { name: 'Globals' }).click();
    const row = panel('Variables').locator('.variable-row[data-expression="last_n"]');
    await row.hover();
    await row.getByRole('button', { name: 'Where was last_n written?' }).click();
    const answer = page.getByRole('dialog', { name: 'Where was last_n written?' });
    await expect.poll(() => answer.getByLabel('Written at').count()).toBe(1);
    const written = Number((await answer.getByLabel('Written at').textContent())!.replace(/\D/g, ''));
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(here);
    expect((await answer.getByRole('definition').allTextContents()).slice(1)).toEqual([
      expect.stringMatching(/^fib\+0x[0-9a-f]+ \(time_travel\.c:10\)$/),
      '0x5 → 0x4',
    ]);
    // The search left the call where it was.
    expect(await position()).toBe(here);
    expect(await moved(() => answer.getByRole('button', { name: 'Go there' }).click())).toBe(written);
    expect(await reason()).toMatch(/\(time_travel\.c:10\)$/);
    expect(await answer.count()).toBe(0);
  });

  it('says so when nothing in the recorded part of the call wrote it', async () => {
    // Nothing fib_of runs touches r15.
    await panel('Registers').locator('tr[data-register="r15"]').hover();
    await panel('Registers').getByRole('button', { name: 'Where was r15 written?' }).click();
    const answer = page.getByRole('dialog', { name: 'Where was r15 written?' });
    await expect.poll(() => answer.getByLabel('Answer').textContent()).toBe('not written in the recorded part of this call');
    await page.keyboard.press('Escape');
    await expect.poll(() => answer.count()).toBe(0);
  });

  it('answers for a register and for selected memory too', async () => {
    await panel('Registers').locator('tr[data-register="rdi"]').hover();
    await panel('Registers').getByRole('button', { name: 'Where was rdi written?' }).click();
    const answer = page.getByRole('dialog', { name: 'Where was rdi written?' });
    await expect.poll(() => answer.getByLabel('Written at').count()).toBe(1);
    // Where Go there went, in fib(4): its n, as fib(5) passed it (n - 1).
    const [at, by, value] = await answer.getByRole('definition').allTextContents();
    expect(Number(at!.replace(/\D/g, ''))).toBeLessThan(await position());
    expect(by).toMatch(/^fib\+0x[0-9a-f]+ \(time_travel\.c:12\)$/);
    expect(value).toBe('0x5 → 0x4');
    await answer.getByRole('button', { name: 'Close' }).click();
    // Above the stack pointer (`sub rsp, 8`, no write): the caller's rbx, which fib(4) pushed.
    const pushed = BigInt((await register('rsp'))!) + 8n;
    const row = panel('Memory').locator(`.hex-row[data-address="0x${(pushed & ~15n).toString(16)}"]`);
    await row
      .locator('.byte')
      .nth(Number(pushed & 15n))
      .click();
    const memory = panel('Memory').getByRole('button', { name: `Where was the byte at 0x${pushed.toString(16)} written?` });
    await memory.click();
    const byte = page.getByRole('dialog', { name: `Where was the byte at 0x${pushed.toString(16)} written?` });
    await expect.poll(() => byte.getByLabel('Written at').count()).toBe(1);
    expect((await byte.getByRole('definition').allTextContents())[1]).toMatch(/^fib\+0x[0-9a-f]+ \(time_travel\.c:\d+\)$/);
    await byte.getByRole('button', { name: 'Close' }).click();
  });
});
