// `microscope serve` as a child process, for the tests and the benchmark that drive
// browser mode: started on a free port, resolved once it prints the URL to open.
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

import { projectRoot } from '../api/paths.js';

export interface Served {
  server: ChildProcess;
  /** The first line serve prints: the page's URL with its token. */
  url: URL;
}

export function startServe(env: NodeJS.ProcessEnv = process.env): Promise<Served> {
  const server = spawn(process.execPath, [resolve(projectRoot, 'dist/native/node/cli/main.js'), 'serve', '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolvePromise, reject) => {
    let out = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolvePromise({ server, url: new URL(out.split('\n')[0]!) });
    });
    server.on('exit', (code) => reject(new Error(`serve exited with ${code} before printing its URL`)));
  });
}
