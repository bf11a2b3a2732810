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

/** Milliseconds per step as a bare protocol round trip from the page. */
async function stepRoundTrips(page: Page): Promise<number[]> {
  return page.evaluate(async (count) => {
    const token = new URLSearchParams(location.search).get('token') ?? '';
    const socket = new WebSocket(`ws://${location.host}/ws?token=${token}`);
    await new Promise((resolve) => socket.addEventListener('open', resolve, { once: true }));
    const times: number[] = [];
    for (let id = 1; id <= count; id++) {
      const start = performance.now();
      socket.send(JSON.stringify({ id, method: 'debug.resume', params: { how: 'step' } }));
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
  }, steps);
}

/** Each frame's length (ms) over `frames` frames; with `scroll`, the memory view moves a screenful further each frame. */
async function frameTimes(page: Page, frames: number, scroll: boolean): Promise<number[]> {
  return page.evaluate(
    async ({ frames, scroll }) => {
      const view = document.querySelector('.hex-view')!;
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
    { frames, scroll },
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
    const ns = (ms: number) => ms * 1e6;
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

    await page.getByRole('button', { name: 'Stop' }).click();
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
        `a 1,000,000-call profile painted ${ms(render.engine_ns)} ms after its result arrived (1,000 calls: ${ms(render.floor_ns!)} ms)`,
    );
    return [repaint, scroll, render];
  } finally {
    await browser.close();
    server.kill();
  }
}
