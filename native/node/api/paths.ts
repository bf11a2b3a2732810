// Where the project's built files are, found from this file whether it runs as TypeScript
// source (tests) or compiled into dist/ (CLI, app).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'microscope') {
      return directory;
    }
    const parent = dirname(directory);
    if (parent === directory) throw new Error('microscope: cannot find the project root above ' + import.meta.url);
    directory = parent;
  }
}

export const projectRoot = findProjectRoot();
export const addonPath = resolve(projectRoot, 'native/build/Release/microscope.node');
/** The bundled demo guest, built with debug info by `npm run build:guests`. */
export const demoGuestPath = resolve(projectRoot, 'dist/guests/demo.elf');
/** The bundled SQLite guest (native/sqlite/), built the same way. */
export const sqliteGuestPath = resolve(projectRoot, 'dist/guests/sqlite.elf');

/** The guests that come with Microscope, by the names the CLI and the inspector know them by. */
export const bundledGuests = { demo: demoGuestPath, sqlite: sqliteGuestPath } as const;
export type BundledGuest = keyof typeof bundledGuests;

export function isBundledGuest(name: string): name is BundledGuest {
  return Object.hasOwn(bundledGuests, name);
}
