// The inspector's responsiveness, in Debian's Chromium against browser mode with the real
// engine (`npm run bench` runs it after the engine's cases):
//
// - ui_step_repaint: from a Step Into key press to the frame painted with the new RIP in
//   both the Registers panel and the Disassembly's current row; floor: the same step as a
//   bare protocol round trip over a WebSocket from the same page (no React, no panels).
//   A repaint waits for the display's next frame (16.7 ms at 60 Hz), which the floor
//   doesn't: the log line also gives the time until the DOM showed the stop.
// - ui_scroll_frame: the longest frame while the Memory view is dragged across all
//   16 MiB (a new screenful every frame, each read from the engine); floor: the longest
//   frame of the same page left idle for as many frames.
//
// - ui_line_step: from F10 in the Source view to the frame painted with the next source
//   line marked, stepping through the demo's sha256_block; floor: the same line step as a
//   bare protocol round trip from the same page.
// - ui_source_scroll: the longest frame while the SQLite guest's sqlite3.c (250,000 lines)
//   is scrolled from its top to its end in the Source view, a new screenful every frame;
//   floor: the longest frame of the same page left idle for as many frames.
//
// - ui_profile_render: from a 1,000,000-call profile's result reaching the page to its
//   charts painted (the marks the Latency panel sets); floor: the same for a 1,000-call
//   profile. The engine bins the histogram, so the two should cost the same.
//
// Each is timed inside the page (performance.now, requestAnimationFrame), so neither the
// benchmark's own connection to Chromium nor its clock is in the figures.
import type { Page } from 'playwright-core';

import { launchChromium } from '../tools/chromium.js';
import { type Case, interleaved, median } from './rounds.js';
import { startServe } from '../tools/serve_process.js';

// What the functions below use of the page's globals: they run in Chromium, while this file
// is compiled for Node, without the DOM's types. Declared here, they stay in this module.
interface PageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  focus(): void;
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
}
interface PageSocket {
  send(text: string): void;
  close(): void;
  addEventListener(type: 'open' | 'message', listener: (event: { data: unknown }) => void, options?: { once: boolean }): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}
declare const document: { querySelector(selector: string): PageElement | null; body: unknown };
declare const MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void; disconnect(): void };
declare const window: { dispatchEvent(event: unknown): void };
declare const location: { search: string; host: string };
declare const performance: {
  now(): number;
  getEntriesByName(name: string): { startTime: number }[];
};
declare function requestAnimationFrame(callback: (time: number) => void): void;
declare const KeyboardEvent: new (type: string, init: { key: string }) => unknown;
declare const WebSocket: new (url: string) => PageSocket;

const steps = 60;
const scrollFrames = 160;
const rounds = 3; // each case beside its floor, alternating (rounds.ts)

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;

/** Milliseconds from each F11 to the DOM showing its stop, and to the frame that paints it, in the page. */
async function stepRepaints(page: Page): Promise<{ committed: number[]; painted: number[] }> {
  return page.evaluate(async (count) => {
    // F11 steps one instruction while the Disassembly has the focus (by line in the source).
    document.querySelector('section[aria-label="Disassembly"] .code-grid')?.focus();
    const rip = () => document.querySelector('tr[data-register="rip"] code')?.textContent ?? '';
    const current = () => document.querySelector('tr[aria-current="true"] td.address')?.textContent ?? '';
    const painted = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const times = { committed: [] as number[], painted: [] as number[] };
    for (let i = 0; i < count; i++) {
      const before = rip();
      const start = performance.now();
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'F11' }));
      // The DOM as React commits it; then the frame that paints it.
      await new Promise<void>((resolve) => {
        const done = () => rip() !== before && current() === rip();
        if (done()) return resolve();
        const observer = new MutationObserver(() => {
          if (!done()) return;
          observer.disconnect();
          resolve();
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      });
      times.committed.push(performance.now() - start);
      await painted();
      times.painted.push(performance.now() - start);
    }
    return times;
  }, steps);
}

/**
 * Milliseconds from each F10 in the Source view to the DOM marking the stop's line (the
 * line the status names, at a new RIP), and to the frame that paints it.
 */
async function lineSteps(page: Page): Promise<{ committed: number[]; painted: number[] }> {
  return page.evaluate(async (count) => {
    document.querySelector('section[aria-label="Source"] .cm-content')?.focus();
    const rip = () => document.querySelector('tr[data-register="rip"] code')?.textContent ?? '';
    const statusLine = () => /:(\d+)\)$/.exec(document.querySelector('[aria-label="Stop reason"]')?.textContent ?? '')?.[1];
    const marked = () => document.querySelector('.cm-line[aria-current="true"]')?.getAttribute('data-line');
    const painted = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const times = { committed: [] as number[], painted: [] as number[] };
    for (let i = 0; i < count; i++) {
      const before = rip();
      const start = performance.now();
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'F10' }));
      await new Promise<void>((resolve) => {
        const done = () => rip() !== before && statusLine() !== undefined && marked() === statusLine();
        if (done()) return resolve();
        const observer = new MutationObserver(() => {
          if (!done()) return;
          observer.disconnect();
          resolve();
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      });
      times.committed.push(performance.now() - start);
      await painted();
      times.painted.push(performance.now() - start);
    }
    return times;
  }, steps);
}

/** Milliseconds per step (`how`) as a bare protocol round trip from the page. */
async function stepRoundTrips(page: Page, how = 'step'): Promise<number[]> {
  return page.evaluate(
    async ({ count, how }) => {
      const token = new URLSearchParams(location.search).get('token') ?? '';
      const socket = new WebSocket(`ws://${location.host}/ws?token=${token}`);
      await new Promise((resolve) => socket.addEventListener('open', resolve, { once: true }));
      const times: number[] = [];
      for (let id = 1; id <= count; id++) {
        const start = performance.now();
        socket.send(JSON.stringify({ id, method: 'debug.resume', params: { how } }));
        await new Promise<void>((resolve) => {
          const onMessage = (event: { data: unknown }) => {
            if ((JSON.parse(String(event.data)) as { id?: number }).id !== id) return;
            socket.removeEventListener('message', onMessage);
            resolve();
          };
          socket.addEventListener('message', onMessage);
        });
        times.push(performance.now() - start);
      }
      socket.close();
      return times;
    },
    { count: steps, how },
  );
}

/** Each frame's length (ms) over `frames` frames; with `scroll`, the view (`selector`) moves a screenful further each frame. */
async function frameTimes(page: Page, frames: number, scroll: boolean, selector = '.hex-view'): Promise<number[]> {
  return page.evaluate(
    async ({ frames, scroll, selector }) => {
      const view = document.querySelector(selector)!;
      const range = view.scrollHeight - view.clientHeight;
      const times: number[] = [];
      let last = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
      for (let i = 1; i <= frames; i++) {
        if (scroll) view.scrollTop = (range * i) / frames;
        const now = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
        times.push(now - last);
        last = now;
      }
      return times;
    },
    { frames, scroll, selector },
  );
}

/** Milliseconds from a profile of `calls` calls of add(1, 2) reaching the page to its charts painted. */
async function profileRender(page: Page, calls: number): Promise<number> {
  const latency = page.getByRole('region', { name: 'Latency' });
  const runs = latency.getByRole('list', { name: 'Runs' }).getByRole('listitem');
  const before = await runs.count();
  await latency.getByLabel('Function').selectOption('add');
  await latency.getByLabel('Arguments').fill('1, 2');
  await latency.getByLabel('Mode').selectOption('warm');
  await latency.getByLabel('Calls', { exact: true }).fill(String(calls));
  await latency.getByLabel('Warm-up calls').fill('0');
  await latency.getByRole('form', { name: 'Profile settings' }).getByRole('button', { name: 'Profile' }).click();
  await runs.nth(before).waitFor({ timeout: 120_000 });
  return page.evaluate(async () => {
    const last = (name: string) => performance.getEntriesByName(name).at(-1)?.startTime ?? NaN;
    for (let i = 0; i < 100 && !(last('profile-rendered') > last('profile-received')); i++) await new Promise((resolve) => requestAnimationFrame(resolve));
    return last('profile-rendered') - last('profile-received');
  });
}

const ns = (ms: number) => ms * 1e6;

/** ui_line_step, in the demo's sha256_block: its loops give line after line to step. */
async function lineStepCase(page: Page) {
  const breakpoints = page.getByRole('region', { name: 'Breakpoints' });
  await breakpoints.getByLabel('Breakpoint location').fill('sha256_block');
  await breakpoints.getByRole('button', { name: 'Add' }).click();
  await page.getByRole('button', { name: /\bsha256\(/ }).click();
  const form = page.getByRole('form', { name: 'Call sha256' });
  await form.getByLabel('data', { exact: true }).fill('61'.repeat(1000));
  await form.getByRole('button', { name: 'Debug', exact: true }).click();
  const reason = page.getByLabel('Stop reason');
  await reason.getByText(/^at the entry/).waitFor();
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await reason.getByText(/^breakpoint/).waitFor();
  await page.locator('.cm-line[aria-current="true"]').waitFor();
  await lineSteps(page); // warm
  const painted: number[] = [];
  const roundTrips: number[] = [];
  const result = await interleaved(
    'ui_line_step',
    rounds,
    async () => {
      const round = await lineSteps(page);
      painted.push(...round.painted);
      return ns(median(round.painted));
    },
    async () => {
      const round = await stepRoundTrips(page, 'line-over');
      roundTrips.push(...round);
      return ns(median(round));
    },
  );
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  return { result, painted, roundTrips };
}

/** ui_source_scroll: sqlite3.c in the Source view, scrolled over its 250,000 lines. */
async function sourceScrollCase(page: Page) {
  await page.getByRole('region', { name: 'Guest' }).getByRole('button', { name: 'SQLite', exact: true }).click();
  const picker = page.getByRole('region', { name: 'Source' }).getByLabel('Source file');
  const option = picker.locator('option', { hasText: /^sqlite3\.c / });
  await option.waitFor({ state: 'attached', timeout: 60_000 });
  await picker.selectOption((await option.getAttribute('value'))!);
  await page.locator('section[aria-label="Source"] .cm-line').first().waitFor();
  const selector = 'section[aria-label="Source"] .cm-scroller';
  await frameTimes(page, 20, true, selector); // warm
  let longest = 0,
    idle = 0;
  const result = await interleaved(
    'ui_source_scroll',
    rounds,
    async () => {
      const frame = Math.max(...(await frameTimes(page, scrollFrames, true, selector)));
      longest = Math.max(longest, frame);
      return ns(frame);
    },
    async () => {
      const frame = Math.max(...(await frameTimes(page, scrollFrames, false, selector)));
      idle = Math.max(idle, frame);
      return ns(frame);
    },
  );
  await page.getByRole('region', { name: 'Guest' }).getByRole('button', { name: 'Demo', exact: true }).click();
  return { result, longest, idle };
}

export async function inspectorCases(backend: string, log: (line: string) => void): Promise<Case[]> {
  const { server, url } = await startServe({ ...process.env, MICROSCOPE_BACKEND: backend });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(url.href);
    await page.getByRole('button', { name: /\bfib\(/ }).click();
    const form = page.getByRole('form', { name: 'Call fib' });
    await form.getByLabel('n', { exact: true }).fill('25');
    await form.getByRole('button', { name: 'Debug' }).click();
    await page.getByRole('status', { name: 'Debugger state' }).getByText('Paused').waitFor();

    await stepRepaints(page); // the first steps warm the JIT and the caches
    const repaints: number[] = [];
    const committed: number[] = [];
    const roundTrips: number[] = [];
    const repaint = await interleaved(
      'ui_step_repaint',
      rounds,
      async () => {
        const round = await stepRepaints(page);
        repaints.push(...round.painted);
        committed.push(...round.committed);
        return ns(median(round.painted));
      },
      async () => {
        const round = await stepRoundTrips(page);
        roundTrips.push(...round);
        return ns(median(round));
      },
    );
    let longestScrolled = 0,
      longestIdle = 0;
    const scroll = await interleaved(
      'ui_scroll_frame',
      rounds,
      async () => {
        const longest = Math.max(...(await frameTimes(page, scrollFrames, true)));
        longestScrolled = Math.max(longestScrolled, longest);
        return ns(longest);
      },
      async () => {
        const longest = Math.max(...(await frameTimes(page, scrollFrames, false)));
        longestIdle = Math.max(longestIdle, longest);
        return ns(longest);
      },
    );

    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    const lines = await lineStepCase(page);
    const source = await sourceScrollCase(page);

    await page.getByRole('tab', { name: 'Latency' }).click();
    await profileRender(page, 1000); // the charts' code loads and warms up
    const render = await interleaved(
      'ui_profile_render',
      rounds,
      async () => ns(await profileRender(page, 1_000_000)),
      async () => ns(await profileRender(page, 1000)),
    );
    const ms = (value: number) => (value / 1e6).toFixed(1);
    log(
      `inspector: step → repaint median ${median(repaints).toFixed(1)} ms, p95 ${percentile(repaints, 0.95).toFixed(1)} ms over ${repaints.length} steps ` +
        `(in the DOM after ${median(committed).toFixed(1)} ms; the round trip alone ${median(roundTrips).toFixed(1)} ms); memory view dragged over 16 MiB in ${scrollFrames} frames: ` +
        `longest ${longestScrolled.toFixed(1)} ms (idle page: longest ${longestIdle.toFixed(1)} ms); ` +
        `a 1,000,000-call profile painted ${ms(render.engine_ns)} ms after its result arrived (1,000 calls: ${ms(render.floor_ns!)} ms); ` +
        `F10 → next source line painted median ${median(lines.painted).toFixed(1)} ms, p95 ${percentile(lines.painted, 0.95).toFixed(1)} ms ` +
        `(the round trip alone ${median(lines.roundTrips).toFixed(1)} ms); sqlite3.c scrolled top to end in ${scrollFrames} frames: longest ${source.longest.toFixed(1)} ms ` +
        `(idle: ${source.idle.toFixed(1)} ms)`,
    );
    return [repaint, scroll, lines.result, source.result, render];
  } finally {
    await browser.close();
    server.kill();
  }
}
