// The folded-stacks export: a line per stack of functions, root first, its count; the
// counts add up to the profile.
import { afterAll, describe, expect, it } from 'vitest';

import type { CpuProfile } from '../../../../../native/node/api/index.js';
import { toFolded } from '../../../../../native/node/api/cpu_profile/folded.js';
import { totalCount } from '../../../../../native/common/cpu_profile_tables.js';
import { openGuest, record, row } from './profiles.js';

const sandbox = await openGuest();
afterAll(() => sandbox.dispose());

describe('toFolded', () => {
  it("gives nested(3)'s recursion as one line per stack, root first", async () => {
    const nested = await record(sandbox, 'nested', [3]);
    const folded = toFolded(nested);
    expect(folded.endsWith('\n')).toBe(true);
    const lines = folded.slice(0, -1).split('\n');
    expect([...lines].sort()).toEqual(lines);
    // A name may hold spaces ("[engine code]"): the count is after the last.
    const parsed = lines.map((line) => {
      const match = /^([^;\n]+(?:;[^;\n]+)*) ([0-9]+)$/.exec(line);
      expect(match, line).not.toBeNull();
      return { stack: match![1]!, count: Number(match![2]) };
    });
    expect(new Set(parsed.map((p) => p.stack)).size).toBe(parsed.length);
    expect(parsed.reduce((sum, p) => sum + p.count, 0)).toBe(totalCount(nested));
    // spin_once at the bottom of descend(3)..descend(0) (nested first, where it is not a tail call).
    const spinning = parsed.filter((p) => p.stack.endsWith(';spin_once'));
    expect(spinning).toHaveLength(1);
    expect(spinning[0]!.stack).toMatch(/^(nested;)?descend;descend;descend;descend;spin_once$/);
    expect(spinning[0]!.count).toBe(row(nested, 'spin_once').self);
    expect(lines).toContain(`${spinning[0]!.stack} ${row(nested, 'spin_once').self}`);
  });

  it('makes names that hold separators safe', () => {
    const frame = (name: string) => ({ function: name, file: '', line: 0, inlined: false });
    const profile = {
      locations: [
        { address: 1, call: false, symbol: 'a', frames: [frame('operator;x'), frame('a b')] },
        { address: 2, call: true, symbol: 'b', frames: [frame('line\nbreak')] },
      ],
      stacks: [[0, 1], [0, 1], [1]],
      counts: [2, 3, 4],
    } as unknown as CpuProfile;
    expect(toFolded(profile)).toBe('line_break 4\nline_break;a b;operator_x 5\n');
  });
});
