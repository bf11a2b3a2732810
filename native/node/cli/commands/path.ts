// microscope path demo|sqlite: the absolute path of a bundled guest.
import { existsSync } from 'node:fs';

import { bundledGuests, isBundledGuest } from '../../api/paths.js';
import type { Command } from '../command.js';
import { usageError } from '../command_line.js';

export const pathCommand: Command = {
  usage: `path ${Object.keys(bundledGuests).join('|')}`,
  summary: 'print the absolute path of a bundled guest (an ELF with debug info)',
  options: {},
  async run(line, out) {
    const name = line.positionals[0];
    if (line.positionals.length !== 1 || !name || !isBundledGuest(name)) throw out.usage();
    const path = bundledGuests[name];
    if (!existsSync(path)) throw usageError(`the ${name} guest is not built at ${path}: run npm run build:guests`);
    out.stdout(path);
    return 0;
  },
};
