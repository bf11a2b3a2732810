// The guest SDK as native/README.md documents it: its build command and its example
// guest, taken from the README itself so the documentation stays true.
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { HostFunctionError, Sandbox } from '../../../native/node/api/index.js';
import { projectRoot } from '../../helpers.js';

const readme = readFileSync(join(projectRoot, 'native/README.md'), 'utf8');

function fencedBlock(after: string, language: string): string {
  const start = readme.indexOf('```' + language + '\n', readme.indexOf(after));
  return readme.slice(start + language.length + 4, readme.indexOf('```', start + 3));
}

describe('the guest SDK', () => {
  it('builds the README example with the README command, and the guest runs', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'microscope-sdk-'));
    const source = join(directory, 'my-guest.c');
    const output = join(directory, 'my-guest.elf');
    writeFileSync(source, fencedBlock('<!-- guest-build-command -->', 'c'));
    const command = fencedBlock('<!-- guest-build-command -->', 'sh')
      .replace(/\\\n/g, ' ')
      .replace('my-guest.elf', output)
      .replace('my-guest.c', source)
      .trim();
    execSync(command + ' -Wall -Wextra -Werror', { cwd: projectRoot, stdio: 'pipe' });

    let visitors = 0n;
    const sandbox = await Sandbox.create(output, {
      hostFunctions: { visitors: { params: ['str'], returns: 'u64', fn: () => ++visitors } },
    });
    try {
      expect(sandbox.functions.map((f) => `${f.returns} ${f.name}`)).toEqual(['i64 add', 'str greet']);
      expect(await sandbox.call('add', 2n, 3n)).toBe(5n);
      const report = await sandbox.invoke('greet', ['Ann']);
      expect(report.value).toBe('hello');
      expect(report.output).toBe('greeting Ann\n');
      expect(visitors).toBe(1n);
    } finally {
      sandbox.dispose();
    }

    const wrong = await Sandbox.create(output, {
      hostFunctions: { visitors: { params: ['str'], returns: 'i32', fn: () => 1 } },
    });
    try {
      const error = await wrong.call('greet', 'Bo').catch((e: unknown) => e);
      expect((error as Error).message).toBe('visitors must return a u64');
      expect(error).not.toBeInstanceOf(HostFunctionError);
    } finally {
      wrong.dispose();
    }
  });
});
