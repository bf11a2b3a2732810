// npm start's first step (start.sh): the Electron binary, which Electron downloads the
// first time it is used (its install-electron). Exits 0 when the binary is there;
// otherwise prints one line, which download failed and why in words, and what to do
// about it, and exits 1: start.sh then starts browser mode instead.
//
//   node dist/native/node/tools/electron_binary.js
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { projectRoot } from '../api/paths.js';

const require = createRequire(join(projectRoot, 'package.json'));

/** What a failed fetch's cause says, in words (undici puts the system error in `cause`). */
function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code;
  const host = /\s(\S+)$/.exec(cause?.message ?? '')?.[1];
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the name ${host ?? 'of the server'} could not be looked up (${code}): no DNS, or no network`;
    case 'ECONNREFUSED':
      return `the connection was refused (${code}): a firewall, or no route out`;
    case 'ECONNRESET':
      return `the connection was reset (${code})`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `the connection timed out (${code})`;
    case 'CERT_HAS_EXPIRED':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return `the server's certificate was refused (${code}): a proxy that inspects TLS?`;
  }
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<number> {
  const install = require.resolve('electron/install.js');
  const result = spawnSync(process.execPath, [install], { encoding: 'utf8', timeout: 600_000 });
  if (result.status === 0) return 0;

  const { version } = require('electron/package.json') as { version: string };
  const platform = process.env.ELECTRON_INSTALL_PLATFORM ?? process.platform;
  const arch = process.env.ELECTRON_INSTALL_ARCH ?? process.arch;
  const artifact = `electron-v${version}-${platform}-${arch}.zip`;
  const mirror = process.env.ELECTRON_MIRROR ?? 'https://github.com/electron/electron/releases/download/';
  const url = `${mirror.endsWith('/') ? mirror : `${mirror}/`}${process.env.ELECTRON_CUSTOM_DIR ?? `v${version}`}/${artifact}`;
  // install-electron prints only a stack: ask the same address again to know why.
  let why: string;
  try {
    const response = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(15_000) });
    why = response.ok
      ? `install-electron failed: ${(result.stderr || result.error?.message || '').trim().split('\n')[0]}`
      : `the server answered ${response.status} ${response.statusText}`;
  } catch (error) {
    why = describeFetchError(error);
  }
  process.stdout.write(
    `the Electron ${version} binary could not be downloaded: ${url} failed: ${why}. ` +
      `For the desktop app run npm start where ${new URL(url).host} can be reached once, ` +
      `or set ELECTRON_MIRROR to a mirror that has ${artifact}\n`,
  );
  return 1;
}

process.exitCode = await main();
