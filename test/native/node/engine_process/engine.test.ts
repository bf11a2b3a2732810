// The engine's side of the inspector protocol, in this process over the real addon: the
// methods the Snapshots and Call trace views and the memory selection use, a guest sent as
// bytes, and frames' stack pointers.
import { readFileSync } from 'node:fs';

import { afterAll, describe, expect, it } from 'vitest';

import { maxDifferenceRuns } from '../../../../native/common/protocol/messages.js';
import { Engine } from '../../../../native/node/engine_process/engine.js';
import { askOf } from './ask.js';
import type { ProfileProgress } from '../../../../native/common/protocol/messages.js';
import { demoGuestPath } from '../../../helpers.js';
import { sqliteGuestPath } from '../../../../native/node/api/paths.js';

const progress: ProfileProgress[] = [];
let onProgress: ((event: ProfileProgress) => void) | undefined;
const engine = new Engine((event) => {
  progress.push(event);
  onProgress?.(event);
});
afterAll(() => engine.dispose());

const ask = askOf(engine);

const hexOf = (text: string) => Buffer.from(text).toString('hex');

describe('the engine process', () => {
  it('loads a guest sent as bytes, named as sent', async () => {
    const bytes = readFileSync(demoGuestPath).toString('base64');
    const info = await ask('guest.load', { bytes, name: 'from-elsewhere.elf' });
    expect(info.path).toBe('from-elsewhere.elf');
    expect(info.functions.map((f) => f.name)).toContain('greet');
    await expect(ask('guest.load', { bytes: Buffer.from('not an elf').toString('base64'), name: 'x.elf' })).rejects.toThrow(/ELF/);
    // The failed load left the loaded guest as it was.
    expect((await ask('call.run', { function: 'add', args: ['1', '2'] })).value).toBe('3');
  });

  it('loads a bundled guest by name, and calls SQLite in it', async () => {
    const info = await ask('guest.load', { bundled: 'sqlite' });
    expect(info.path).toBe(sqliteGuestPath);
    expect(info.functions.map((f) => f.name)).toEqual(['exec', 'prepare', 'query', 'finalize', 'version']);
    const result = await ask('call.run', { function: 'exec', args: ["select 'micro' || 'scope' as name"] });
    expect(JSON.parse(String(result.value))).toEqual({ columns: ['name'], rows: [['microscope']], changes: 0 });
  });

  it("serves the guest's source files and their text, and no other file", async () => {
    await ask('guest.load', {});
    const files = await ask('source.files', {});
    const demo = files.find((f) => f.file.endsWith('/native/demo/demo.c'))!;
    expect(demo.lines).toContain(8); // add's line
    const source = await ask('source.read', { file: demo.file });
    expect(source.path).toBe(demo.file);
    expect(source.text.split('\n')[7]).toBe('MICROSCOPE_FN(i64, add, (i64, a), (i64, b)) { return a + b; }');
    await expect(ask('source.read', { file: '/etc/passwd' })).rejects.toThrow("/etc/passwd is not a source file of this guest's line tables");
  });

  it('takes, compares and restores snapshots, showing the bytes on each side', async () => {
    await ask('guest.load', {});
    const [init] = await ask('snapshot.list', {});
    expect(init).toMatchObject({ label: 'after init' });
    const greeted = await ask('call.run', { function: 'greet', args: ['Ada'] });
    expect(greeted.value).toBe('Hello, Ada!');

    // The call's writes, against the snapshot calls restore: "Hello, Ada!" is in the after side.
    const withNow = await ask('snapshot.compare', { a: init!.id });
    expect(withNow.b).toBeNull();
    expect(withNow.bytes).toBeGreaterThan(0);
    const hello = withNow.runs.find((run) => run.after.includes(hexOf('Hello, Ada!')));
    expect(hello, JSON.stringify(withNow.runs.slice(0, 5))).toBeDefined();
    expect(hello!.before).toMatch(/^(00)+$/);
    expect(withNow.pages).toContain(`0x${(Number(BigInt(hello!.address)) & ~0xfff).toString(16)}`);

    const after = await ask('snapshot.take', { label: 'after greet' });
    expect(after.label).toBe('after greet');
    const between = await ask('snapshot.compare', { a: init!.id, b: after.id });
    expect(between.runs.map((r) => r.address)).toContain(hello!.address);
    expect((await ask('snapshot.compare', { a: after.id })).bytes).toBe(0);

    await ask('snapshot.restore', { id: init!.id });
    const restored = await ask('memory.read', { address: hello!.address, length: 11 });
    expect(restored.bytes).toBe(hello!.before.slice(0, 22));
    await ask('snapshot.drop', { id: after.id });
    expect((await ask('snapshot.list', {})).map((s) => s.label)).toEqual(['after init']);
    await expect(ask('snapshot.restore', { id: after.id })).rejects.toThrow(`there is no snapshot ${after.id}`);
    expect(maxDifferenceRuns).toBeGreaterThan(100);
  });

  it('refuses snapshots while a call is being debugged', async () => {
    await ask('debug.start', { function: 'add', args: ['1', '2'] });
    await expect(ask('snapshot.take', {})).rejects.toThrow(/debug|running|paused/i);
    await ask('debug.end', {});
  });

  it('records a call trace and exports it as Chrome Trace Event JSON', async () => {
    const trace = await ask('trace.record', { function: 'fib', args: ['10'] });
    expect(trace).toMatchObject({ call: 'fib(10)', ok: true, value: '55', truncated: false, backend: 'emulated' });
    const calls = trace.events.filter((e) => e.kind === 'function' && e.name === 'fib');
    expect(calls).toHaveLength(177);
    expect(trace.eventCount).toBe(trace.events.length);
    expect(Math.max(...calls.map((c) => c.depth))).toBe(9);
    expect(calls[0]!.detail).toMatch(/^0x[0-9a-f]+$/);

    const greet = await ask('trace.record', { function: 'greet', args: ['Ada'] });
    const print = greet.events.find((e) => e.kind === 'host');
    expect(print?.detail).toContain('"Hello, Ada!"');

    const file = await ask('trace.chrome', {});
    expect(file.name).toBe('greet_Ada_.trace.json');
    const chrome = JSON.parse(file.json) as { traceEvents: { name: string; ph: string }[]; otherData: { call: string } };
    expect(chrome.otherData.call).toBe('greet(Ada)');
    expect(chrome.traceEvents.some((e) => e.ph === 'X' && e.name === 'greet')).toBe(true);
  });

  it('watches memory selected in the memory view, and gives frames their stack pointers', async () => {
    const entry = await ask('debug.start', { function: 'fib', args: ['3'] });
    const rsp = BigInt(entry.registers.values.rsp!);
    // fib's caller's return address sits at RSP: the frame below reads it on return.
    const watch = await ask('watchpoint.add', { location: `0x${rsp.toString(16)}`, length: 8, kind: 'read' });
    await ask('debug.resume', { how: 'over' });
    const frames = await ask('stack.backtrace', {});
    expect(frames[0]!.rsp).toMatch(/^0x[0-9a-f]+$/);
    expect(BigInt(frames[0]!.rsp)).toBeLessThanOrEqual(rsp);
    const stop = await ask('debug.resume', { how: 'continue' });
    expect(stop.reason).toBe('watchpoint');
    expect((await ask('watchpoint.list', {})).find((w) => w.id === watch.id)?.hits).toBe(1);
    await ask('watchpoint.remove', { id: watch.id });
    await ask('debug.end', {});
  });

  it('profiles a call with its chart data binned here, keeps its calls for a CSV, and imports a saved profile', async () => {
    progress.length = 0;
    const run = await ask('profile.run', { function: 'add', args: ['1', '2'], mode: 'warm', iterations: 5000, warmup: 100, keepRows: true });
    expect(run).toMatchObject({ label: 'add(1, 2) warm · emulated', imported: false, hasRows: true });
    expect(run.profile).toMatchObject({ iterations: 5000, warmupIterations: 100 });
    expect(run.bins).toHaveLength(100);
    expect(run.bins.reduce((n, bin) => n + bin.count, 0)).toBe(5000);
    expect(run.bins[0]!.fromNs).toBe(run.profile.summary.min);
    expect(run.curve.at(-1)).toMatchObject({ percentile: 100 });
    expect(run.curve.find((point) => point.percentile >= 50)!.valueNs).toBeGreaterThanOrEqual(run.profile.summary.p50 * 0.999);
    expect(progress.at(-1)).toMatchObject({ event: 'profile', stage: 'measure', done: 5000, total: 5000 });

    const csv = await ask('profile.csv', { id: run.id });
    expect(csv.name).toBe('add-warm-emulated.csv');
    expect(csv.csv.trim().split('\n')).toHaveLength(5001);

    const imported = await ask('profile.import', { json: JSON.stringify(run.profile) });
    expect(imported).toMatchObject({ imported: true, hasRows: false, label: run.label, bins: run.bins, curve: run.curve });
    await expect(ask('profile.csv', { id: imported.id })).rejects.toThrow(/did not keep its calls/);
    await expect(ask('profile.import', { json: '{"format":"x"}' })).rejects.toThrow(/is not a Microscope profile/);
  });

  it('cancels a profile, which ends with what it measured', async () => {
    const measuring = new Promise<void>((resolve) => {
      onProgress = (event) => event.stage === 'measure' && resolve();
    });
    const running = ask('profile.run', { function: 'fib', args: ['20'], mode: 'restore', durationMs: 60_000, warmup: 0 });
    await measuring; // cancelled once it has measured some calls
    await ask('profile.cancel', {});
    const run = await running;
    expect(run.profile.cancelled).toBe(true);
    expect(run.profile.iterations).toBeGreaterThan(0);
    expect((await ask('call.run', { function: 'add', args: ['2', '2'] })).value).toBe('4');
  });
});
