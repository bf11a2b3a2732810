import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // test/kvm runs against the QEMU guest of `npm run test:kvm`, which starts it.
    exclude: ['test/kvm/**', 'node_modules/**'],
    // Each test file in its own process: sandboxes, threads and the addon don't leak
    // between files.
    pool: 'forks',
    // No test may fail for being slow: a 2-core machine running other work makes every
    // test several times slower. The limits are for hangs, with a wide margin; the long
    // programs (the conformance suite, the benchmark, the soak) run under a hang guard
    // that says what they were doing (test/programs.ts).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // What a test waits for (a page repainting, an engine answering), polled: expect.poll's
    // default second is far too short when the machine is shared.
    expect: { poll: { timeout: 60_000 } },
    // Sandboxes made without a backend use this one: the emulated backend unless the run
    // asks for another (native/tools/test.sh runs the suite on KVM too where it works).
    env: { MICROSCOPE_BACKEND: process.env.MICROSCOPE_BACKEND || 'emulated' },
  },
});
