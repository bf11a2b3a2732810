// microscope path demo: the absolute path of the bundled demo guest.
import { existsSync } from 'node:fs';

import { demoGuestPath } from '../../api/paths.js';
import type { Command } from '../command.js';
import { usageError } from '../command_line.js';

export const pathCommand: Command = {
  usage: 'path demo',
  summary: 'print the absolute path of the bundled demo guest (an ELF with debug info)',
  options: {},
  async run(line, out) {
    if (line.positionals.length !== 1 || line.positionals[0] !== 'demo') throw out.usage();
    if (!existsSync(demoGuestPath)) throw usageError(`the demo guest is not built at ${demoGuestPath}: run npm run build:guests`);
    out.stdout(demoGuestPath);
    return 0;
  },
};
