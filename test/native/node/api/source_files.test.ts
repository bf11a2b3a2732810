// The guest's source text found on the engine's machine (native/node/api/source_files.ts):
// by the line table's path, through a source path map when the guest was built elsewhere,
// and, when it isn't found, an error naming every place it looked.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { readSource, sourceCandidates, UsageError } from '../../../../native/node/api/index.js';

describe('sourceCandidates', () => {
  it('rewrites a whole-component prefix, each mapping in order, then tries the path itself', () => {
    const map = [
      { from: '/build/src/', to: '/home/me/src' },
      { from: '/build', to: '/mnt/build' },
      { from: '/build/s', to: '/never' },
    ];
    expect(sourceCandidates('/build/src/a/b.c', map)).toEqual(['/home/me/src/a/b.c', '/mnt/build/src/a/b.c', '/build/src/a/b.c']);
    expect(sourceCandidates('/other/b.c', map)).toEqual(['/other/b.c']);
    expect(sourceCandidates('/b.c', [{ from: '/', to: '/root/' }])).toEqual(['/root/b.c', '/b.c']);
  });
});

describe('readSource', () => {
  const dir = mkdtempSync(join(tmpdir(), 'microscope-source-'));
  mkdirSync(join(dir, 'here', 'src'), { recursive: true });
  writeFileSync(join(dir, 'here', 'src', 'demo.c'), 'int main(void) { return 0; }\n');

  it('reads the file the line table names, or where the map sends it', () => {
    const direct = readSource(join(dir, 'here', 'src', 'demo.c'));
    expect(direct).toEqual({ file: join(dir, 'here', 'src', 'demo.c'), path: join(dir, 'here', 'src', 'demo.c'), text: 'int main(void) { return 0; }\n' });
    const mapped = readSource('/build/machine/src/demo.c', [{ from: '/build/machine', to: join(dir, 'here') }]);
    expect(mapped.path).toBe(join(dir, 'here', 'src', 'demo.c'));
    expect(mapped.file).toBe('/build/machine/src/demo.c');
  });

  it('says which file it could not find and everywhere it looked', () => {
    const missing = () => readSource('/build/machine/src/gone.c', [{ from: '/build/machine', to: join(dir, 'here') }]);
    expect(missing).toThrow(UsageError);
    expect(missing).toThrow(
      `can't find the source file /build/machine/src/gone.c: looked at ${join(dir, 'here', 'src', 'gone.c')} (ENOENT), /build/machine/src/gone.c (ENOENT)`,
    );
    expect(() => readSource(join(dir, 'here'))).toThrow(
      `looked at ${join(dir, 'here')} (not a file); if the guest was built on another machine, map its paths`,
    );
  });
});
