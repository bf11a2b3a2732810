// The tables of an exact profile against what the guest's shapes make exact: split(n)'s
// callees run n and 2n iterations of one loop, nested(depth) recurses, mixed(n) inlines.
import { afterAll, describe, expect, it } from 'vitest';

import { expandedStack, instructionCounts, lineCounts, topFunctions, totalCount } from '../../../native/common/cpu_profile_tables.js';
import { openGuest, record, row, sourceLine } from '../node/api/cpu_profile/profiles.js';

const sandbox = await openGuest();
afterAll(() => sandbox.dispose());

describe('topFunctions', () => {
  it('puts the most-run function first, and splits a loop run n and 2n times by its iterations', async () => {
    const split1000 = await record(sandbox, 'split', [1000]);
    const split2000 = await record(sandbox, 'split', [2000]);
    const rows = topFunctions(split1000);
    expect(rows.slice(0, 3).map((r) => r.function)).toEqual(['spin_twice', 'spin_once', 'split']);
    for (let i = 1; i < rows.length; ++i) expect(rows[i]!.self).toBeLessThanOrEqual(rows[i - 1]!.self);
    expect(rows.reduce((sum, r) => sum + r.self, 0)).toBe(totalCount(split1000));
    expect(rows.reduce((sum, r) => sum + r.selfShare, 0)).toBeCloseTo(1, 12);
    for (const r of rows) {
      expect(r.total).toBeGreaterThanOrEqual(r.self);
      expect(r.selfShare).toBe(r.self / totalCount(split1000));
      expect(r.totalShare).toBe(r.total / totalCount(split1000));
    }
    // The same loop: n more iterations cost the same however they are split between callees.
    const once = (profile: typeof split1000) => row(profile, 'spin_once').self;
    expect(row(split1000, 'spin_twice').self - once(split1000)).toBe(once(split2000) - once(split1000));
    expect(once(split2000) - once(split1000)).toBeGreaterThan(0);
    // split is under everything the guest ran; its callees call nothing.
    const split = row(split1000, 'split');
    expect(split.total).toBe(split.self + once(split1000) + row(split1000, 'spin_twice').self);
    expect(row(split1000, 'spin_once').total).toBe(once(split1000));
  });

  it("counts a recursion once per stack in its total, its callee's instructions included", async () => {
    const nested = await record(sandbox, 'nested', [3]);
    const descend = row(nested, 'descend');
    const spinOnce = row(nested, 'spin_once');
    expect(descend.total).toBe(descend.self + spinOnce.self);
    expect(descend.total).toBeLessThanOrEqual(totalCount(nested));
    expect(spinOnce.total).toBe(spinOnce.self);
    // descend(3) to descend(0) are on the stack where spin_once runs.
    nested.stacks.forEach((_, stack) => {
      const frames = expandedStack(nested, stack);
      if (frames[0]!.function !== 'spin_once') return;
      expect(frames.filter((f) => f.function === 'descend')).toHaveLength(4);
    });
  });

  it('names an inlined function apart from the one it is inlined into', async () => {
    const profiles = [];
    for (const n of [1000, 2000, 3000]) profiles.push(await record(sandbox, 'mixed', [n])); // one call at a time in a sandbox
    const mixed = profiles[0]!;
    const scrambleAt = mixed.locations.filter((l) => l.frames.some((f) => f.function === 'scramble'));
    expect(scrambleAt.length).toBeGreaterThan(0);
    for (const location of scrambleAt) {
      expect(location.frames.map((f) => [f.function, f.inlined])).toEqual([
        ['scramble', true],
        ['scramble_all', false],
      ]);
    }
    const scramble = row(mixed, 'scramble');
    const scrambleAll = row(mixed, 'scramble_all');
    expect(scramble.self).toBeGreaterThan(0);
    expect(scramble.total).toBe(scramble.self);
    expect(scrambleAll.total).toBeGreaterThanOrEqual(scrambleAll.self + scramble.self);
    // Inlined in the loop: each n more iterations run the same instructions of it.
    const [a, b, c] = profiles.map((p) => row(p, 'scramble').self);
    expect(b! - a!).toBe(c! - b!);
    expect(b! - a!).toBeGreaterThan(0);
  });
});

describe('lineCounts and instructionCounts', () => {
  it('give each line and instruction what ran there', async () => {
    const split = await record(sandbox, 'split', [1000]);
    const lines = lineCounts(split);
    const file = row(split, 'spin_once').file;
    // SPIN_BODY puts each callee's loop on the callee's one line.
    const once = lines.get(file)!.get(sourceLine(file, 'uint64_t spin_once('))!;
    const twice = lines.get(file)!.get(sourceLine(file, 'uint64_t spin_twice('))!;
    expect(once).toEqual({ self: row(split, 'spin_once').self, total: row(split, 'spin_once').self });
    expect(twice).toEqual({ self: row(split, 'spin_twice').self, total: row(split, 'spin_twice').self });
    const lineless = split.counts.filter((_, stack) => split.locations[split.stacks[stack]![0]!]!.frames[0]!.line === 0).reduce((a, b) => a + b, 0);
    const selves = [...lines.values()].flatMap((byLine) => [...byLine.values()]).reduce((sum, cell) => sum + cell.self, 0);
    expect(selves).toBe(totalCount(split) - lineless);
    for (const byLine of lines.values()) for (const cell of byLine.values()) expect(cell.total).toBeGreaterThanOrEqual(cell.self);

    const instructions = instructionCounts(split);
    expect([...instructions.values()].reduce((a, b) => a + b, 0)).toBe(totalCount(split));
    // The loop's instructions: the hottest of spin_twice ran twice as often as spin_once's.
    const hottest = (name: string) =>
      Math.max(...split.locations.filter((l) => !l.call && l.frames[0]!.function === name).map((l) => instructions.get(l.address)!));
    expect(hottest('spin_twice')).toBe(2 * hottest('spin_once'));
    expect(hottest('spin_once')).toBe(split.calls * 1000);
  });

  it('add a line an inlined function is called on to the total of the line', async () => {
    const mixed = await record(sandbox, 'mixed', [1000]);
    const file = row(mixed, 'scramble_all').file;
    const callLine = sourceLine(file, 'sum += scramble(sum + i)');
    const inlined = mixed.stacks
      .map((stack, index) => ({ frames: stack.flatMap((l) => mixed.locations[l]!.frames), count: mixed.counts[index]! }))
      .filter(({ frames }) => frames[0]!.function === 'scramble');
    expect(inlined.every(({ frames }) => frames[1]!.line === callLine)).toBe(true);
    const cell = lineCounts(mixed).get(file)!.get(callLine)!;
    expect(cell.total).toBe(cell.self + inlined.reduce((sum, s) => sum + s.count, 0));
  });
});
