// Coverage through the inspector protocol, in this process over the real addon: the lines
// a list of calls ran, as the Source and Disassembly views mark them, and its lcov file.
import { afterAll, describe, expect, it } from 'vitest';

import { Engine } from '../../../../native/node/engine_process/engine.js';
import { askOf } from './ask.js';

const engine = new Engine();
afterAll(() => engine.dispose());

const ask = askOf(engine);

describe('coverage in the engine process', () => {
  it('marks the lines and instructions a list of calls ran, and writes them as lcov', async () => {
    await expect(ask('coverage.lcov', {})).rejects.toThrow(/no coverage has been recorded/);
    await ask('guest.load', { bundled: 'demo', backend: 'emulated' });
    const coverage = await ask('coverage.run', { function: 'fib', calls: [['5'], ['1']] });
    expect(coverage).toMatchObject({ call: 'fib × 2 calls', backend: 'emulated', exact: true, calls: 2, failures: [] });
    const demo = coverage.files.find((f) => f.path.endsWith('demo.c'))!;
    expect(Math.max(...demo.lines.map(([, count]) => count))).toBe(16);
    // fib's first instruction ran once a call of fib: 16 times.
    expect(coverage.instructions.filter(([, count]) => count === 16).length).toBeGreaterThan(0);
    expect(coverage.instructions.every(([address]) => /^0x[0-9a-f]+$/.test(address))).toBe(true);
    const lcov = await ask('coverage.lcov', {});
    expect(lcov.name).toBe('fib.info');
    expect(lcov.lcov).toContain('FNDA:16,fib\n');
    await expect(ask('coverage.run', { function: 'fib', calls: [['1', '2']] })).rejects.toThrow(/fib takes 1 argument/);
    const failing = await ask('coverage.run', { function: 'divide', calls: [['1', '0']] });
    expect(failing.failures[0]).toMatchObject({ call: 0, error: { vector: '#DE' } });
  });
});
