// How a guest is compiled and linked (`microscope cc`, `npm run build:guests`): gcc with
// the flags the guest ABI needs, the SDK's runtime and entry, its linker script, and by
// default the C library (musl from Debian's musl-dev, with the SDK's glue in
// native/guest/libc/). native/README.md, "Building a guest", shows the same as one gcc line.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { projectRoot } from './paths.js';

export interface GuestBuild {
  /** Link musl (the default); false: the SDK alone, as freestanding C. */
  libc?: boolean;
  /** A static PIE, which the loader moves to the image base, instead of a fixed address. */
  pie?: boolean;
}

const guestDir = join(projectRoot, 'native/guest');
/** Debian's musl-dev. */
export const muslDir = '/usr/lib/x86_64-linux-musl';
export const muslInclude = '/usr/include/x86_64-linux-musl';

/** What the ABI needs of every guest's code (native/README.md, "Building a guest"). */
const abiFlags = [
  '-static',
  '-nostdlib',
  '-mno-red-zone',
  '-fno-stack-protector',
  '-fcf-protection=none',
  '-fno-omit-frame-pointer',
  '-fno-asynchronous-unwind-tables',
  '-mno-avx',
];

let gccInclude: string | undefined;

/** The arguments for gcc around the user's own (`options`, then `files`). */
export function guestGccArguments(output: string, options: string[], files: string[], build: GuestBuild = {}): string[] {
  const libc = build.libc ?? true;
  const layout = build.pie
    ? ['-fpie', '-static-pie', '-Wl,-z,separate-code', '-Wl,-z,max-page-size=4096']
    : ['-fno-pic', '-no-pie', '-T', join(guestDir, 'guest.ld')];
  const sdk = [join(guestDir, 'runtime.c'), join(guestDir, 'entry.S')];
  // gcc's own headers (stddef.h, stdint.h, stdarg.h...) and never the host's /usr/include:
  // a guest links no glibc, so its headers would only promise what isn't there.
  gccInclude ??= execFileSync('gcc', ['-print-file-name=include'], { encoding: 'utf8' }).trim();
  const gccHeaders = ['-nostdinc', '-isystem', gccInclude];
  if (!libc)
    return ['-O2', '-g', '-ffreestanding', ...abiFlags, ...layout, ...gccHeaders, `-I${guestDir}`, ...options, '-o', output, ...files, ...sdk, '-lgcc'];
  // musl's headers, then gcc's, as musl-gcc's specs put them.
  const glue = ['libc_init.c', 'syscalls.c', 'libc_start.S'].map((file) => join(guestDir, 'libc', file));
  return [
    '-O2',
    '-g',
    ...abiFlags,
    ...layout,
    '-nostdinc',
    '-isystem',
    muslInclude,
    '-isystem',
    gccInclude,
    `-I${guestDir}`,
    '-DMS_LIBC',
    ...options,
    '-o',
    output,
    ...files,
    ...sdk,
    ...glue,
    join(muslDir, 'libc.a'),
    '-lgcc',
  ];
}

/** Why a libc guest can't be built here, or undefined when it can. */
export function libcMissing(): string | undefined {
  if (existsSync(join(muslDir, 'libc.a')) && existsSync(join(muslInclude, 'stdio.h'))) return undefined;
  return `the C library for guests is not installed (${muslDir}/libc.a): apt-get install musl-dev (npm run setup does), or build with --no-libc`;
}
