// The pprof export as `go tool pprof` reads it (CI installs golang-go): its functions, in
// order, with the tables' counts; its inlined frames; its lines; a sampled profile's time.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { CpuProfile } from '../../../../../native/node/api/index.js';
import { toPprof } from '../../../../../native/node/api/cpu_profile/pprof.js';
import { lineCounts, topFunctions, totalCount } from '../../../../../native/common/cpu_profile_tables.js';
import { openGuest, record, row } from './profiles.js';

const sandbox = await openGuest();
const scratch = mkdtempSync(join(tmpdir(), 'microscope-pprof-'));
afterAll(() => {
  sandbox.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

const go = existsSync('/usr/bin/go') ? '/usr/bin/go' : 'go';

/** `go tool pprof` on the profile's export; go must be there (no network: the tool ships with Go). */
function pprof(profile: CpuProfile, args: string[]): string {
  const file = join(scratch, `${profile.function}-${profile.kind}-${Date.now()}.pb.gz`);
  writeFileSync(file, toPprof(profile));
  const home = join(scratch, 'home');
  mkdirSync(home, { recursive: true });
  // GOTOOLCHAIN=local: a newer go would otherwise fetch the toolchain a go.mod asks for.
  const env = { ...process.env, HOME: home, GOCACHE: join(home, 'cache'), GOPATH: join(home, 'go'), PPROF_TMPDIR: home, GOTOOLCHAIN: 'local' };
  try {
    // -symbolize=none: pprof reads only what the file says, never the guest's ELF.
    return execFileSync(go, ['tool', 'pprof', '-symbolize=none', ...args, file], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const { code, stderr } = error as { code?: string; stderr?: string };
    if (code === 'ENOENT') throw new Error(`these tests need Go's pprof: ${go} was not found (Debian: apt-get install golang-go)`, { cause: error });
    throw new Error(`go tool pprof ${args.join(' ')} failed: ${stderr ?? String(error)}`, { cause: error });
  }
}

interface TopRow {
  flat: number;
  cum: number;
  name: string;
}

/** The rows of `-top`: "flat flat% sum% cum cum% name", the values in the profile's unit. */
function topRows(output: string): TopRow[] {
  const lines = output.split('\n');
  const header = lines.findIndex((line) => /^\s*flat\s+flat%\s+sum%\s+cum\s+cum%/.test(line));
  expect(header, output).toBeGreaterThanOrEqual(0);
  return lines
    .slice(header + 1)
    .filter((line) => line.trim())
    .map((line) => {
      const match = /^\s*([\d.]+)(\w*)\s+[\d.]+%\s+[\d.]+%\s+([\d.]+)(\w*)\s+[\d.]+%\s+(.+)$/.exec(line);
      expect(match, line).not.toBeNull();
      return { flat: Number(match![1]), cum: Number(match![3]), name: match![5]! };
    });
}

const all = ['-nodecount=50', '-nodefraction=0', '-edgefraction=0'];

/** What pprof calls a function: " (inline)" where it ran inlined into another. */
function pprofName(profile: CpuProfile, name: string): string {
  const inlined = profile.locations.some((l) => l.frames.some((f) => f.function === name && f.inlined));
  return inlined ? `${name} (inline)` : name;
}

/** pprof lists by flat; the tables by self, then total, then name. Equal flats may come in either order. */
function expectSameTop(profile: CpuProfile, rows: TopRow[], scale = 1): void {
  const expected = topFunctions(profile).map((r) => ({ flat: r.self * scale, cum: r.total * scale, name: pprofName(profile, r.function) }));
  const byFlat = (list: TopRow[]) => [...list].sort((a, b) => b.flat - a.flat || (a.name < b.name ? -1 : 1));
  expect(byFlat(rows)).toEqual(byFlat(expected));
  expect(rows.map((r) => r.flat)).toEqual(expected.map((r) => r.flat));
}

describe('toPprof', () => {
  it("lists split's functions in the tables' order with their instruction counts", async () => {
    const split = await record(sandbox, 'split', [1000]);
    const output = pprof(split, ['-top', ...all]);
    expect(output).toContain('Type: instructions');
    expect(output).toContain(`Total samples = ${totalCount(split)}`);
    expect(output).toContain('split(1000) — 3 calls, exact');
    const rows = topRows(output);
    expect(rows.slice(0, 3).map((r) => r.name)).toEqual(['spin_twice', 'spin_once', 'split']);
    expectSameTop(split, rows);
  });

  it("keeps a recursion's total and the stacks under it", async () => {
    const nested = await record(sandbox, 'nested', [3]);
    expectSameTop(nested, topRows(pprof(nested, ['-top', ...all])));
    // -traces: each sample's stack, innermost first; spin_once's are 4 descends deep.
    const traces = pprof(nested, ['-traces'])
      .split(/^-+\+-+$/m)
      .slice(1)
      .map((block) => block.trim())
      .filter(Boolean)
      .map((block) => {
        const [first, ...rest] = block.split('\n');
        const [, count, leaf] = /^(\d+)\s+(.+)$/.exec(first!.trim())!;
        return { count: Number(count), frames: [leaf!, ...rest.map((line) => line.trim())] };
      });
    expect(traces.reduce((sum, t) => sum + t.count, 0)).toBe(totalCount(nested));
    const spinning = traces.filter((t) => t.frames[0] === 'spin_once');
    expect(spinning.reduce((sum, t) => sum + t.count, 0)).toBe(row(nested, 'spin_once').self);
    for (const trace of spinning) expect(trace.frames.filter((f) => f === 'descend')).toHaveLength(4);
  });

  it('gives inlined frames and lines as pprof reads them', async () => {
    const mixed = await record(sandbox, 'mixed', [1000]);
    const rows = topRows(pprof(mixed, ['-top', ...all]));
    expect(rows.map((r) => r.name)).toContain('scramble (inline)');
    expectSameTop(mixed, rows);
    // -lines: a row per function and line ("scramble_all /path/profile_shape.c:29"); per line, the flats add up to the line's self.
    const byLine = new Map<string, number>();
    for (const r of topRows(pprof(mixed, ['-top', '-lines', ...all]))) {
      const match = / (\S+):(\d+)(?: \(inline\))?$/.exec(r.name);
      if (!match) continue; // [engine code]: no line
      const key = `${match[1]}:${match[2]}`;
      byLine.set(key, (byLine.get(key) ?? 0) + r.flat);
    }
    const expected = new Map<string, number>();
    for (const [file, lines] of lineCounts(mixed)) for (const [line, cell] of lines) if (cell.self) expected.set(`${file}:${line}`, cell.self);
    expect(Object.fromEntries(byLine)).toEqual(Object.fromEntries(expected));
  });

  it("gives a sampled profile's samples and their CPU time", async () => {
    // ~200 ms of guest code at 2 kHz.
    const sampled = await record(sandbox, 'mixed', [20_000_000], { kind: 'sampled', rateHz: 2000 });
    expect(sampled).toMatchObject({ kind: 'sampled', unit: 'samples', periodNs: 500_000 });
    expect(totalCount(sampled)).toBeGreaterThan(50);
    const cpu = pprof(sampled, ['-top', '-unit=ns', ...all]);
    expect(cpu).toContain('Type: cpu');
    expect(cpu).toContain(`Total samples = ${totalCount(sampled) * 500_000}ns`);
    const rows = topRows(cpu);
    expectSameTop(sampled, rows, sampled.periodNs);
    expect(['scramble_all', 'scramble (inline)']).toContain(rows[0]!.name);
    expectSameTop(sampled, topRows(pprof(sampled, ['-top', '-sample_index=samples', ...all])));
  });
});
