import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // test/kvm runs against the QEMU guest of `npm run test:kvm`, which starts it.
    exclude: ['test/kvm/**', 'node_modules/**'],
    // Each test file in its own process: sandboxes, threads and the addon don't leak
    // between files.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // What a test waits for on a busy machine (a page repainting, an engine answering):
    // expect.poll's default second is too short when the machine is shared.
    expect: { poll: { timeout: 10_000 } },
    // Sandboxes made without a backend use this one: the emulated backend unless the run
    // asks for another (native/tools/test.sh runs the suite on KVM too where it works).
    env: { MICROSCOPE_BACKEND: process.env.MICROSCOPE_BACKEND || 'emulated' },
  },
});
