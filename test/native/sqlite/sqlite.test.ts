// The bundled SQLite guest (native/sqlite/): its functions, the JSON its rows come back
// as, errors as guest aborts with SQLite's result code and message, a database that lives
// across calls without restore and starts again from the snapshot with it, a 100,000-row
// table in 64 MiB, and an out-of-memory that ends one call cleanly and not the next.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GuestAbort, Sandbox, sqliteGuestPath } from '../../../native/node/api/index.js';

interface Result {
  columns: string[];
  rows: unknown[][];
  changes: number;
}

let sqlite: Sandbox;
beforeAll(async () => {
  sqlite = await Sandbox.create(sqliteGuestPath);
});
afterAll(() => sqlite.dispose());

const exec = async (sql: string, box = sqlite): Promise<Result> => JSON.parse((await box.call('exec', sql)) as string) as Result;

async function abortOf(promise: Promise<unknown>): Promise<GuestAbort> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GuestAbort);
  return error as GuestAbort;
}

describe('the sqlite guest', () => {
  it('exports exec, prepare, query, finalize and version', () => {
    expect(sqlite.functions.map((f) => `${f.returns} ${f.name}(${f.params.map((p) => `${p.type} ${p.name}`).join(', ')})`)).toEqual([
      'str exec(str sql)',
      'u32 prepare(str sql)',
      'str query(u32 id, i64 parameter)',
      'void finalize(u32 id)',
      'str version()',
    ]);
  });

  it('is the SQLite better-sqlite3 has on the host', async () => {
    const host = new Database(':memory:');
    const { v } = host.prepare('select sqlite_version() v').get() as { v: string };
    host.close();
    expect(await sqlite.call('version')).toBe(v);
    expect(v).toMatch(/^3\.\d+\.\d+$/);
  });
});

describe('exec', () => {
  it('returns the columns and rows of the last statement as JSON', async () => {
    expect(await exec("create table t(a, b); insert into t values (1, 'one'), (2, 'two'); select b, a * 10 as tens from t order by a")).toEqual({
      columns: ['b', 'tens'],
      rows: [
        ['one', 10],
        ['two', 20],
      ],
      changes: 0,
    });
    expect(await exec('create table t(a); insert into t values (1), (2), (3)')).toEqual({ columns: [], rows: [], changes: 3 });
    expect(await exec('select 1 as a, 2 as a')).toEqual({ columns: ['a', 'a'], rows: [[1, 2]], changes: 0 });
    expect(await exec('  -- nothing but a comment\n')).toEqual({ columns: [], rows: [], changes: 0 });
  });

  it('encodes each type: integers past 2^53 as strings, reals exactly, text escaped, blobs as hex', async () => {
    const { rows } = await exec(
      "select 9007199254740991, 9007199254740992, -9223372036854775808, 0.1, 1e300 * 1e10, -1e300 * 1e10, 'a\"b\\c\n\t\u00e9', x'00ff10', null, 2.0, char(1)",
    );
    expect(rows[0]).toEqual([
      9007199254740991,
      '9007199254740992',
      '-9223372036854775808',
      0.1,
      'Infinity',
      '-Infinity',
      'a"b\\c\n\té',
      '00ff10',
      null,
      2,
      '\u0001',
    ]);
    const { rows: reals } = await exec('select 0.1 + 0.2, 1.0 / 3, 5e-324, 1.7976931348623157e308');
    expect(reals[0]).toEqual([0.1 + 0.2, 1 / 3, 5e-324, 1.7976931348623157e308]);
  });

  it("aborts with SQLite's result code and message", async () => {
    const syntax = await abortOf(sqlite.call('exec', 'selec 1'));
    expect(syntax.code).toBe(1); // SQLITE_ERROR
    expect(syntax.message).toBe('near "selec": syntax error');
    expect((await abortOf(sqlite.call('exec', 'select * from nowhere'))).message).toBe('no such table: nowhere');
    const unique = await abortOf(sqlite.call('exec', 'create table u(a unique); insert into u values (1), (1)'));
    expect([unique.code, unique.message]).toEqual([19, 'UNIQUE constraint failed: u.a']); // SQLITE_CONSTRAINT
    const strict = await abortOf(sqlite.call('exec', "create table s(a integer) strict; insert into s values ('x')"));
    expect([strict.code, strict.message]).toEqual([19, 'cannot store TEXT value in INTEGER column s.a']);
  });

  it('says when the rows do not fit the output buffer, and fit one sized for them', async () => {
    const tooBig = await abortOf(sqlite.call('exec', 'select zeroblob(40000)'));
    expect(tooBig.code).toBe(18); // SQLITE_TOOBIG
    expect(tooBig.message).toBe(
      'the result is 80057 bytes of JSON, more than the output buffer of 65536: select fewer rows, or give the sandbox a larger ioBufferSize',
    );
    const roomy = await Sandbox.create(sqliteGuestPath, { ioBufferSize: 256 << 10 });
    try {
      expect((await exec('select zeroblob(40000)', roomy)).rows[0]![0]).toBe('00'.repeat(40000));
    } finally {
      roomy.dispose();
    }
  });
});

describe('state across calls', () => {
  it('keeps the database without restore, and starts from the snapshot with it', async () => {
    const box = await Sandbox.create(sqliteGuestPath, { restore: false });
    try {
      await exec('create table kv(k primary key, v)', box);
      await exec("insert into kv values ('a', 1)", box);
      expect((await exec('select count(*) from kv', box)).rows).toEqual([[1]]);
      // A snapshot taken after loading data is a ready database for every call that restores.
      box.snapshot();
      const restoring = { restore: true } as const;
      for (let i = 0; i < 2; i++) {
        const report = await box.invoke('exec', ["insert into kv values ('b', 2); select group_concat(k) from kv"], restoring);
        expect(JSON.parse(report.value as string)).toMatchObject({ rows: [['a,b']] });
      }
      // Each of those started from the snapshot; a call without restore goes on from the last.
      expect((await exec('select group_concat(k) from kv', box)).rows).toEqual([['a,b']]);
    } finally {
      box.dispose();
    }
  });

  it('restores to an empty database each call by default', async () => {
    await exec('create table once(a)');
    expect((await exec("select count(*) from sqlite_schema where name = 'once'")).rows).toEqual([[0]]);
  });

  it('runs prepared statements by number, with ?1 bound', async () => {
    const box = await Sandbox.create(sqliteGuestPath, { restore: false });
    try {
      await exec("create table p(id integer primary key, name text); insert into p values (1, 'one'), (2, 'two')", box);
      const id = (await box.call('prepare', 'select name from p where id = ?1')) as number;
      expect(id).toBe(1);
      expect(JSON.parse((await box.call('query', id, 2n)) as string)).toEqual({ columns: ['name'], rows: [['two']], changes: 0 });
      expect(JSON.parse((await box.call('query', id, 3n)) as string)).toMatchObject({ rows: [] });
      await box.call('finalize', id);
      const gone = await abortOf(box.call('query', id, 1n));
      expect([gone.code, gone.message]).toEqual([21, 'no prepared statement 1 (prepare returns 1 to 64)']); // SQLITE_MISUSE
      expect((await abortOf(box.call('prepare', 'select x from nowhere'))).message).toBe('no such table: nowhere');
    } finally {
      box.dispose();
    }
  });
});

describe('size', () => {
  it('inserts 100,000 rows and aggregates them in a 64 MiB sandbox', async () => {
    const box = await Sandbox.create(sqliteGuestPath, { memorySize: 64 << 20, timeoutMs: 0 });
    try {
      const result = await exec(
        "create table t(id integer primary key, name text, value real); with recursive c(x) as (select 1 union all select x + 1 from c where x < 100000) insert into t select x, 'name ' || x, x * 0.5 from c; select count(*), sum(value), max(name), sum(length(name)) from t",
        box,
      );
      expect(result.rows).toEqual([[100000, 2500025000, 'name 99999', 988895]]);
    } finally {
      box.dispose();
    }
  });

  it('ends an out-of-memory call with a clean abort, and the next call works', async () => {
    const box = await Sandbox.create(sqliteGuestPath, { restore: false });
    try {
      await exec('create table kept(a); insert into kept values (42)', box);
      // An abort, like every abort, goes back to the last snapshot: this one.
      box.snapshot();
      const oom = await abortOf(box.call('exec', 'select length(randomblob(30000000))'));
      expect([oom.code, oom.message]).toEqual([7, 'out of memory']); // SQLITE_NOMEM, in a 16 MiB sandbox
      // The next call goes on from the snapshot, its data intact.
      expect((await exec('select a from kept', box)).rows).toEqual([[42]]);
    } finally {
      box.dispose();
    }
    const again = await abortOf(sqlite.call('exec', 'select length(randomblob(30000000))'));
    expect(again.code).toBe(7);
    expect((await exec('select 6 * 7')).rows).toEqual([[42]]);
  });
});
