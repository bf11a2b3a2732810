// microscope dap on the SQLite guest (native/sqlite/): a breakpoint in the guest's own code,
// a step into the amalgamation and back, and C values read on the way.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { Adapter, lineOf, sqliteSource } from './adapter.js';

const sqliteLine = (text: string) => lineOf(sqliteSource, text);
const withoutArgs = (name: string) => name.replace(/\(.*\)$/, '');

describe('microscope dap on the sqlite guest', () => {
  let adapter: Adapter;
  beforeEach(() => {
    adapter = Adapter.start();
  });
  afterEach(async () => {
    await adapter.stop();
  });

  it('stops in exec, steps into SQLite and out, and ends with the rows', async () => {
    const prepare = sqliteLine('int rc = sqlite3_prepare_v2(db, rest, -1, &statement, &rest);');
    await adapter.launch({ guest: 'sqlite', function: 'exec', args: ['select 1 + 1 as two'] }, async () => {
      const set = await adapter.client.setBreakpointsRequest({ source: { path: sqliteSource }, breakpoints: [{ line: prepare }] });
      expect(set.body.breakpoints).toMatchObject([{ verified: true, line: prepare }]);
    });
    const stop = await adapter.stopped();
    expect(stop.body.reason).toBe('breakpoint');
    expect(stop.frames.map((f) => [withoutArgs(f.name), f.line])[0]).toEqual(['exec', prepare]);
    // `sql` itself is optimized out here (-O2); `rest` is what is left of it to prepare.
    const sql = await adapter.client.evaluateRequest({ expression: 'rest', frameId: stop.frames[0]!.id, context: 'watch' });
    expect(sql.body.result).toMatch(/"select 1 \+ 1 as two"$/);
    expect(sql.body.type).toBe('const char *');

    await adapter.client.stepInRequest({ threadId: 1 });
    const inside = await adapter.stopped();
    expect(withoutArgs(inside.frames[0]!.name)).toBe('sqlite3_prepare_v2');
    expect(inside.frames[0]!.source!.path).toMatch(/sqlite3\.c$/);
    expect(inside.frames.map((f) => withoutArgs(f.name)).slice(1, 2)).toEqual(['exec']);

    await adapter.client.stepOutRequest({ threadId: 1 });
    expect((await adapter.stopped()).frames.map((f) => [withoutArgs(f.name), f.line])[0]).toEqual(['exec', prepare]);
    await adapter.client.nextRequest({ threadId: 1 });
    expect((await adapter.stopped()).frames.map((f) => [withoutArgs(f.name), f.line])[0]).toEqual(['exec', prepare + 1]);

    await adapter.client.setBreakpointsRequest({ source: { path: sqliteSource }, breakpoints: [] });
    await adapter.client.continueRequest({ threadId: 1 });
    expect(await adapter.outputs(1)).toEqual([['console', 'exec returned {"columns":["two"],"rows":[[2]],"changes":0}\n']]);
    expect((await adapter.next<DebugProtocol.ExitedEvent>('exited')).body.exitCode).toBe(0);
  });
});
