// The GUEST argument: "demo" and "sqlite" name the bundled guests, anything else is a path.
import { readFileSync } from 'node:fs';

import { bundledGuests, isBundledGuest } from '../api/paths.js';
import { usageError } from './command_line.js';

export function guestPath(name: string): string {
  return isBundledGuest(name) ? bundledGuests[name] : name;
}

export function readGuest(name: string): Uint8Array {
  const path = guestPath(name);
  try {
    return readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    const hint = isBundledGuest(name) ? ' (build it with `npm run build:guests`)' : '';
    throw usageError(`can't read the guest file '${path}': ${reason}${hint}`);
  }
}
