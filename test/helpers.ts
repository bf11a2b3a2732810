// Paths of the guests the tests run: the demo and the test guests in test/guests/,
// compiled by gcc in the test build (`npm run build:guests`).
import { resolve } from 'node:path';

import { demoGuestPath, projectRoot } from '../native/node/api/paths.js';

export { demoGuestPath, projectRoot };

export function testGuest(name: string): string {
  return resolve(projectRoot, 'dist/test-guests', `${name}.elf`);
}

/** The backend the suite runs on (vitest.config.ts): "emulated" or "kvm". */
export const testBackend = process.env.MICROSCOPE_BACKEND ?? 'emulated';
