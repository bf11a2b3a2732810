// The tests `npm run test:kvm` runs against its QEMU guest while the guest is up (not
// part of the main suite: they need the guest native/tools/test-kvm.sh boots).
import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/kvm/**/*.test.ts'],
    testTimeout: 600_000,
  },
});
