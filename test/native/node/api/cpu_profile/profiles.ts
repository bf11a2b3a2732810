// The profiles the CPU profile tests read: the real engine's, on the emulated backend, of
// test/guests/profile_shape.c, whose shapes say what the counts must be.
import { readFileSync } from 'node:fs';

import { expect } from 'vitest';

import { cpuProfile, type CpuProfile, type CpuProfileOptions, Sandbox } from '../../../../../native/node/api/index.js';
import { type FunctionRow, topFunctions } from '../../../../../native/common/cpu_profile_tables.js';
import { testGuest } from '../../../../helpers.js';

export const guestPath = testGuest('profile_shape');

export function openGuest(): Promise<Sandbox> {
  return Sandbox.create(guestPath, { backend: 'emulated' });
}

/** Three calls, exact unless asked otherwise. */
export async function record(sandbox: Sandbox, name: string, args: number[], options: CpuProfileOptions = {}): Promise<CpuProfile> {
  const { cpu } = await cpuProfile(sandbox, name, args, { iterations: 3, guest: guestPath, ...options });
  expect(cpu.truncated).toBe(false);
  return cpu;
}

/** The function's row; it must be there. */
export function row(profile: CpuProfile, name: string): FunctionRow {
  const found = topFunctions(profile).filter((r) => r.function === name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
}

/** Where `text` is in the guest's source, 1-based (the file the profile's lines are of). */
export function sourceLine(file: string, text: string): number {
  const index = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(text));
  expect(index, text).toBeGreaterThanOrEqual(0);
  return index + 1;
}
