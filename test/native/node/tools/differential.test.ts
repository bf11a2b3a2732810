// The differential of `npm run test:kvm` (native/node/tools/differential.ts): a line for each
// outcome that differs, with all its fields; known differences named, any other fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { projectRoot } from '../../../helpers.js';

function differential(emulated: object[], kvm: object[]) {
  const folder = mkdtempSync(join(tmpdir(), 'differential-'));
  const write = (name: string, records: object[]) => {
    writeFileSync(join(folder, name), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    return join(folder, name);
  };
  return spawnSync(process.execPath, [join(projectRoot, 'dist/native/node/tools/differential.js'), write('e.jsonl', emulated), write('k.jsonl', kvm)], {
    encoding: 'utf8',
  });
}

const same = { case: 'faults/crash_null', kind: 'fault', vector: '#PF', symbol: 'crash_null+0x2', cr2: '0x0' };
const ownTables = 'isolation under hostile control state/own page tables, then write the control block';

describe('the differential', () => {
  it('passes when every outcome agrees', () => {
    const result = differential([same], [same]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('differential: 1 outcomes, 1 the same on both backends, 0 known differences, 0 unexplained\n');
  });

  it('names a known difference on one line, with every field that differs', () => {
    const result = differential(
      [same, { case: ownTables, kind: 'fault', vector: 'unsupported', symbol: 'tamper+0x1c0' }],
      [same, { case: ownTables, kind: 'fault', vector: '#PF', symbol: 'tamper_then_write+0x25', cr2: '0x1000' }],
    );
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^known {6}isolation .*: vector is "unsupported" emulated, "#PF" on KVM; symbol is .*; cr2 is undefined emulated, "0x1000" on KVM \(known: a guest's own page tables/,
    );
    expect(lines[1]).toBe('differential: 2 outcomes, 1 the same on both backends, 1 known differences, 0 unexplained');
  });

  it('fails on any other difference, and on an outcome only one backend has', () => {
    const result = differential(
      [
        { ...same, symbol: 'crash_null' },
        { case: 'only/here', kind: 'return' },
      ],
      [same],
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('DIFFERENT  faults/crash_null: symbol is "crash_null" emulated, "crash_null+0x2" on KVM');
    expect(result.stdout).toContain('DIFFERENT  only/here: only on the emulated backend');
    expect(result.stdout).toContain('0 known differences, 2 unexplained');
  });
});
