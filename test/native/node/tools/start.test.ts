// npm start where the Electron binary can't be downloaded (here: a mirror on a port that
// refuses connections): one line saying which download failed, why in words and what to
// do, then browser mode, whose URL comes first on stdout.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { projectRoot } from '../../../helpers.js';

const electronThere = existsSync(join(projectRoot, 'node_modules/electron/dist'));

describe('npm start without the Electron binary', () => {
  it.skipIf(electronThere)('says in words which download failed and why, then serves browser mode', async () => {
    // A port nobody listens on: the connection is refused, whatever the machine's network.
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const child = spawn('bash', [join(projectRoot, 'native/tools/start.sh'), '--port', '0'], {
      cwd: projectRoot,
      env: { ...process.env, DISPLAY: ':99', ELECTRON_MIRROR: `http://127.0.0.1:${closed}/` },
    });
    let stderr = '';
    let stdout = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
      });
      child.on('exit', () => reject(new Error(`start.sh exited: ${stderr}`)));
    });
    child.kill();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+$/);
    const first = stderr.split('\n')[0]!;
    expect(first).toMatch(
      /^microscope: the Electron \d+\.\d+\.\d+ binary could not be downloaded: http:\/\/127\.0\.0\.1:\d+\/v\d+\.\d+\.\d+\/electron-v\d+\.\d+\.\d+-linux-x64\.zip failed: the connection was refused \(ECONNREFUSED\): a firewall, or no route out\. For the desktop app run npm start where 127\.0\.0\.1:\d+ can be reached once, or set ELECTRON_MIRROR to a mirror that has electron-v[\d.]+-linux-x64\.zip; starting browser mode instead: open the URL below$/,
    );
    expect(stderr).not.toMatch(/^\s+at /m); // no stack
  });
});
