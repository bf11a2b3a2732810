// The conformance suite (a C++ program, no Node) on the emulated backend, in the normal
// test run; `npm run test:kvm` runs it on KVM, in a QEMU guest, and compares the two.
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { projectRoot } from '../../../helpers.js';
import { runProgram } from '../../../programs.js';

describe('the conformance suite', () => {
  it('passes every case on the emulated backend', async () => {
    // Each call on stderr (MICROSCOPE_CONFORMANCE_TRACE): a hang names the call that hung.
    const result = await runProgram(join(projectRoot, 'dist/conformance/conformance'), ['--backend', 'emulated'], {
      cwd: projectRoot,
      env: { ...process.env, MICROSCOPE_CONFORMANCE_TRACE: '1' },
      silenceMs: 300_000,
    });
    const lines = result.stdout.trim().split('\n');
    expect(
      lines.filter((line) => line.startsWith('FAIL')),
      result.stdout,
    ).toEqual([]);
    expect(lines.at(-1)).toMatch(/^conformance \(emulated\): [1-9]\d* passed, 0 failed$/);
    expect(result.status).toBe(0);
  }, 1_800_000);
});
