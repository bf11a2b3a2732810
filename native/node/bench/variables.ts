// A paused frame's variables, as a debugger's Variables view asks for them:
// - variables_frame: every scope of a frame with 100 locals (test/guests/variables.c's
//   many(), paused after its stores; the 100 locals, its argument and its unit's globals,
//   each typed, located and printed); floor: the backtrace of the same stop (the same trip
//   into the addon and the same unwinding, no variables). Goal: under 5 ms.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { projectRoot } from '../api/paths.js';
import { Sandbox } from '../api/sandbox.js';
import { type Case, interleaved, perCall } from './rounds.js';

const guest = resolve(projectRoot, 'dist/test-guests/variables.elf');

export async function variablesCases(backend: 'emulated' | 'kvm', rounds: number, log: (line: string) => void): Promise<Case[]> {
  if (!existsSync(guest)) {
    log(`variables: not measured: ${guest} is not built`);
    return [];
  }
  const box = await Sandbox.create(guest, { backend });
  try {
    box.addBreakpoint('variables.c:93'); // int sum = 0, after the 100 stores
    const session = await box.debug('variables_many', [1000]);
    await session.continue();
    const locals = box.scopes(0)[1]!.variables.length;
    const frame = await interleaved(
      'variables_frame',
      rounds,
      () => perCall(5, 20, () => box.scopes(0)),
      () => perCall(5, 20, () => box.backtrace()),
    );
    session.end();
    log(
      `variables: a frame's ${locals} locals and the rest of its scopes in ${(frame.engine_ns / 1e6).toFixed(2)} ms (its backtrace alone ${(frame.floor_ns! / 1e6).toFixed(2)} ms)`,
    );
    return [frame];
  } finally {
    box.dispose();
  }
}
