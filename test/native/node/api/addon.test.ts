// The addon's surface: what each native class declares of itself (engine/addon's
// WrappedClass surface) against what native/node/api/addon.ts expects, the methods
// really there, and the ABI version against include/microscope/abi.h.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { abiVersion, addon, addonProblem, expectedSurfaces } from '../../../../native/node/api/addon.js';
import { projectRoot } from '../../../helpers.js';

const classes = { NativeSandbox: addon.NativeSandbox, NativeDebugger: addon.NativeDebugger };

describe('the addon', () => {
  it('declares the surface addon.ts expects, name by name and arity by arity', () => {
    for (const [name, native] of Object.entries(classes)) {
      const declared = Object.fromEntries(native.surface.map((entry) => [entry.name, entry.arity]));
      expect(declared, name).toEqual(expectedSurfaces[name as keyof typeof expectedSurfaces]);
    }
    expect(addonProblem(addon)).toBe('');
  });

  it('has each method and accessor it declares, and no other', () => {
    for (const native of Object.values(classes)) {
      const members = Object.getOwnPropertyNames(native.prototype).filter((member) => member !== 'constructor');
      expect(members.sort()).toEqual(native.surface.map((entry) => entry.name).sort());
      for (const { name, arity } of native.surface) {
        const descriptor = Object.getOwnPropertyDescriptor(native.prototype, name)!;
        if (arity < 0) expect(typeof descriptor.get, name).toBe('function');
        else expect(typeof descriptor.value, name).toBe('function');
      }
    }
  });

  it('names what differs when an addon does not match', () => {
    const surface = (entries: [string, number][]) => ({ surface: entries.map(([name, arity]) => ({ name, arity })) });
    const sandbox = Object.entries(expectedSurfaces.NativeSandbox) as [string, number][];
    const debuggerEntries = Object.entries(expectedSurfaces.NativeDebugger) as [string, number][];
    const problem = addonProblem({
      abiVersion,
      NativeSandbox: surface([...sandbox.filter(([name]) => name !== 'restore'), ['extra', 0]]) as never,
      NativeDebugger: surface(debuggerEntries.map(([name, arity]) => [name, name === 'resume' ? 1 : arity])) as never,
    });
    expect(problem).toBe(
      "doesn't match this library (NativeSandbox.restore is missing; NativeSandbox.extra is not declared in addon.ts; " +
        'NativeDebugger.resume takes 1 arguments, not 2)',
    );
    expect(addonProblem({ ...addon, abiVersion: abiVersion + 1 })).toBe(`speaks guest ABI ${abiVersion + 1}, this library ${abiVersion}`);
  });

  it('speaks the ABI version of include/microscope/abi.h', () => {
    const header = readFileSync(join(projectRoot, 'native/include/microscope/abi.h'), 'utf8');
    expect(Number(/#define MS_ABI_VERSION (\d+)/.exec(header)![1])).toBe(abiVersion);
    expect(addon.abiVersion).toBe(abiVersion);
  });
});
