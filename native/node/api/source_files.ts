// The guest's source text, found on the engine's machine (the inspector's browser may be on
// another one) by the path its line tables give, or through a source path map when the
// guest was built elsewhere: { from: '/build/src', to: '/home/me/src' } rewrites a path
// that starts with /build/src, as VS Code's sourceFileMap and gdb's `set substitute-path` do.
import { readFileSync, statSync } from 'node:fs';

import { UsageError } from './errors.js';

export interface SourcePathMapping {
  from: string;
  to: string;
}

export interface SourceText {
  /** The line table's name for the file. */
  file: string;
  /** Where it was read. */
  path: string;
  text: string;
}

/** The largest source file read: sqlite3.c is 9 MB. */
export const maxSourceBytes = 64 << 20;

const withoutSlash = (path: string) => (path.length > 1 ? path.replace(/\/+$/, '') : path);

/** The paths tried for `file`, in order: each mapping whose `from` is a whole-component prefix, then the file itself. */
export function sourceCandidates(file: string, map: readonly SourcePathMapping[] = []): string[] {
  const candidates: string[] = [];
  for (const { from, to } of map) {
    const prefix = withoutSlash(from);
    if (file === prefix || file.startsWith(prefix === '/' ? '/' : prefix + '/')) {
      candidates.push(withoutSlash(to) + file.slice(prefix === '/' ? 0 : prefix.length));
    }
  }
  candidates.push(file);
  return [...new Set(candidates)];
}

/** The text of `file`, from the first candidate that is a readable file; a UsageError naming every place it looked. */
export function readSource(file: string, map: readonly SourcePathMapping[] = []): SourceText {
  const tried: string[] = [];
  for (const path of sourceCandidates(file, map)) {
    let size: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) {
        tried.push(`${path} (not a file)`);
        continue;
      }
      size = stat.size;
    } catch (error) {
      tried.push(`${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
      continue;
    }
    if (size > maxSourceBytes) {
      throw new UsageError({ kind: 'usage', message: `${path} is ${size} bytes; a source file shown is at most ${maxSourceBytes >> 20} MiB` });
    }
    try {
      return { file, path, text: readFileSync(path, 'utf8') };
    } catch (error) {
      tried.push(`${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  }
  const hint = map.length ? '' : '; if the guest was built on another machine, map its paths (a source path map)';
  throw new UsageError({ kind: 'usage', message: `can't find the source file ${file}: looked at ${tried.join(', ')}${hint}` });
}
