// microscope cc [-o OUT] [--no-libc] [--pie] [gcc options] FILES...: compiles and links a
// guest (api/guest_build.ts). Everything but its own options goes to gcc as given, after
// the defaults (-O2 -g), so `-O0` or `-g0` wins; gcc's messages and status are the
// command's.
import { spawnSync } from 'node:child_process';
import { basename, extname } from 'node:path';

import { guestGccArguments, libcMissing } from '../../api/guest_build.js';
import type { Command } from '../command.js';
import { usageError } from '../command_line.js';

const sourceFile = /\.(c|S|s|o|a)$/;

export const ccCommand: Command = {
  usage: 'cc [-o OUT] [--no-libc] [--pie] [gcc options] FILES...',
  summary: 'compile and link a guest with the SDK and the C library (musl); OUT defaults to the first file with .elf',
  options: { 'no-libc': {}, pie: {} },
  passesUnknownOptions: true,
  async run(line, out) {
    const words = [...line.positionals];
    let output: string | undefined;
    const options: string[] = [];
    const files: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      if (word === '-o') {
        output = words[++i];
        if (!output) throw usageError('cc: -o needs a file name');
      } else if (word.startsWith('-o') && word.length > 2) {
        output = word.slice(2);
      } else if (word.startsWith('-')) {
        options.push(word);
        // gcc's options whose value is the next word.
        if (/^-(I|D|U|include|isystem|L|l|x|MF|MT)$/.test(word)) options.push(words[++i] ?? '');
      } else {
        files.push(word);
      }
    }
    if (!files.some((file) => sourceFile.test(file))) throw out.usage();
    const libc = !line.options.has('no-libc');
    if (libc) {
      const missing = libcMissing();
      if (missing) throw usageError(`cc: ${missing}`);
    }
    const first = files.find((file) => sourceFile.test(file))!;
    output ??= basename(first, extname(first)) + '.elf';
    const args = guestGccArguments(output, options, files, { libc, pie: line.options.has('pie') });
    const gcc = spawnSync('gcc', args, { stdio: 'inherit' });
    if (gcc.error) throw usageError(`cc: gcc could not run (${gcc.error.message}): apt-get install build-essential`);
    return gcc.status ?? 1;
  },
};
