// SQLite in the guest (native/sqlite/) against SQLite on the host (better-sqlite3, the same
// version and options), in the same run:
// - sqlite_select: a point query by primary key through a prepared statement, called from
//   JS on both sides (the guest's query() returns its row as JSON; better-sqlite3's get()
//   an object). On the emulated backend this is TCG against the native CPU: tens of times.
// - sqlite_call_overhead: exec("select 1") against warm_call's add(40, 2), both in the
//   engine's native loop without restore: what a statement costs beyond a call.
// better-sqlite3 is a devDependency: without it (an installed package), the cases say so.
import { createRequire } from 'node:module';

import { sqliteGuestPath } from '../api/paths.js';
import { Sandbox } from '../api/sandbox.js';
import { type Case, interleaved, median, perCall } from './rounds.js';

const rows = 10_000;
const table = `create table people(id integer primary key, name text, born integer);
  with recursive n(x) as (select 1 union all select x + 1 from n where x < ${rows})
  insert into people select x, 'person ' || x, 1900 + x % 120 from n`;
const pointQuery = 'select name, born from people where id = ?';

/**
 * The SQLite guest holding the people table, with the point query prepared and a
 * snapshot taken after both: a call that restores starts from them (the profile and
 * time travel cases).
 */
export async function peopleGuest(backend: 'emulated' | 'kvm'): Promise<{ guest: Sandbox; statement: number }> {
  const guest = await Sandbox.create(sqliteGuestPath, { backend, timeoutMs: 0, restore: false });
  try {
    await guest.call('exec', table);
    const statement = (await guest.call('prepare', pointQuery)) as number;
    guest.snapshot();
    return { guest, statement };
  } catch (error) {
    guest.dispose();
    throw error;
  }
}

interface HostStatement {
  get(key: number): unknown;
}
interface HostDatabase {
  exec(sql: string): void;
  prepare(sql: string): HostStatement;
  close(): void;
}

export async function sqliteCases(
  backend: 'emulated' | 'kvm',
  benchGuest: Sandbox,
  rounds: number,
  perRound: number,
  log: (line: string) => void,
  progress: (line: string) => void,
): Promise<Case[]> {
  let Database: new (file: string) => HostDatabase;
  try {
    Database = createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  } catch (error) {
    log(`sqlite: not measured: better-sqlite3 is not installed (${(error as Error).message.split('\n')[0]})`);
    return [];
  }
  const guest = await Sandbox.create(sqliteGuestPath, { backend, restore: false, timeoutMs: 0 });
  const host = new Database(':memory:');
  try {
    await guest.call('exec', table);
    host.exec(table);
    const statement = (await guest.call('prepare', pointQuery)) as number;
    const hostStatement = host.prepare(pointQuery);
    // Different keys on every call, the same ones on both sides.
    let key = 0;
    const nextKey = () => (key = (key * 7919 + 1) % rows) + 1;
    const batch = Math.max(1, Math.floor(perRound / 50));
    progress(`sqlite_select, ${rounds} rounds`);
    const select = await interleaved(
      'sqlite_select',
      rounds,
      () => perCall(1, batch, () => guest.call('query', statement, BigInt(nextKey()))),
      () => perCall(1, batch, () => hostStatement.get(nextKey())),
    );
    const loop = Math.max(1, Math.floor(perRound / 20));
    progress(`sqlite_call_overhead, ${rounds} rounds`);
    const overhead = await interleaved(
      'sqlite_call_overhead',
      rounds,
      async () => median((await guest.measure('exec', ['select 1'], { mode: 'warm', iterations: loop })).totalNs),
      async () => median((await benchGuest.measure('add', [40n, 2n], { mode: 'warm', iterations: loop })).totalNs),
    );
    log(`sqlite: ${rows} rows; a point query by primary key, ${batch} calls a round; exec("select 1") ${loop} calls a round`);
    return [select, overhead];
  } finally {
    host.close();
    guest.dispose();
  }
}
