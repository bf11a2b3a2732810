// The guest's line tables as one (native/engine/core/debug/line_table.cpp), read by libdw
// from real guests gcc built: every unit's files by the path the host can open, the lines
// where a statement starts, and a line resolved for a breakpoint to every address it
// starts at (an inlined copy, a for loop's two halves), or moved to the next line with
// code, saying so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Sandbox, sqliteGuestPath, UsageError } from '../../../../../native/node/api/index.js';
import { projectRoot, testGuest } from '../../../../helpers.js';

let lines: Sandbox;
beforeAll(async () => {
  lines = await Sandbox.create(testGuest('lines'));
});
afterAll(() => lines.dispose());

const source = `${projectRoot}/test/guests/lines.c`;
const where = (addresses: bigint[]) => addresses.map((a) => lines.symbolize(a).replace(/\+0x[0-9a-f]+$/, ''));

describe('source files', () => {
  it('lists every unit of the line tables by a path the host can open, with its lines of code', () => {
    const files = lines.sourceFiles();
    const names = files.map((f) => f.file);
    expect(names).toContain(source); // "native/../test/guests/lines.c" as gcc joined it, normalized
    expect(names).toContain(`${projectRoot}/native/guest/runtime.c`);
    expect(names).toContain(`${projectRoot}/native/guest/entry.S`);
    for (const name of names) expect(name).toMatch(/^\/(?!.*\/\.\.?\/)/);
    const own = files.find((f) => f.file === source)!;
    // Lines 12 and 13 are a comment and a blank line; 8, 9, 16 and 17 are braces and blanks.
    expect(own.lines).toEqual([5, 6, 7, 10, 11, 14, 15, 18, 19, 20]);
  });
});

describe('a line resolved for a breakpoint', () => {
  it('goes to every address where one of its statements starts', () => {
    const loop = lines.resolveLine('lines.c', 14);
    expect(loop).toMatchObject({ file: source, requested: 14, line: 14 });
    expect(loop.addresses.length).toBeGreaterThan(1);
    expect(new Set(where(loop.addresses))).toEqual(new Set(['walk']));
    expect([...loop.addresses].sort((a, b) => (a < b ? -1 : 1))).toEqual(loop.addresses);
  });

  it('finds an inlined function where it was inlined', () => {
    const inlined = lines.resolveLine('lines.c', 6);
    expect(inlined.line).toBe(6);
    expect(where(inlined.addresses)).toEqual(['walk']);
  });

  it('moves a line with no code to the next one that has some', () => {
    expect(lines.resolveLine('lines.c', 12)).toMatchObject({ requested: 12, line: 14 });
    expect(lines.resolveLine('lines.c', 16)).toMatchObject({ requested: 16, line: 18 });
    expect(lines.resolveLine('guests/lines.c', 1)).toMatchObject({ requested: 1, line: 5 });
  });

  it("means the function on an export's line, not the SDK's thunk", () => {
    expect(where(lines.resolveLine('lines.c', 18).addresses)).toEqual(['lines_walk']);
  });

  it('says why when it names no code', () => {
    expect(() => lines.resolveLine('lines.c', 21)).toThrow(`no code at or after line 21 of ${source} (its last line with code is 20)`);
    expect(() => lines.resolveLine('nowhere.c', 1)).toThrow("no source file 'nowhere.c' in the guest's line table");
    expect(() => lines.resolveLine('ines.c', 1)).toThrow(UsageError); // a name matches whole path components
    expect(() => lines.resolveLine('lines.c', 0)).toThrow('a line number is from 1');
  });

  it('is what a breakpoint on a line uses', () => {
    const breakpoint = lines.addBreakpoint('lines.c:12');
    expect(breakpoint.address).toBe(lines.resolveLine('lines.c', 14).addresses[0]);
    lines.removeBreakpoint(breakpoint.id);
  });
});

describe('a large optimized guest', () => {
  it('reads sqlite3.c among the units of the sqlite guest, and resolves its lines', async () => {
    const sqlite = await Sandbox.create(sqliteGuestPath);
    try {
      const files = sqlite.sourceFiles();
      const amalgamation = files.find((f) => f.file.endsWith('/node_modules/better-sqlite3/deps/sqlite3/sqlite3.c'))!;
      expect(amalgamation.lines.length).toBeGreaterThan(50_000);
      expect(files.map((f) => f.file)).toContain(`${projectRoot}/native/sqlite/sqlite.c`);
      const open = sqlite.resolveLine('sqlite3.c', amalgamation.lines[amalgamation.lines.length >> 1]!);
      expect(open.addresses.length).toBeGreaterThan(0);
      // Two files are named sqlite.c and sqlite3.c: a name is matched by whole components.
      expect(sqlite.resolveLine('sqlite/sqlite.c', 1).file).toBe(`${projectRoot}/native/sqlite/sqlite.c`);
    } finally {
      sqlite.dispose();
    }
  });
});
