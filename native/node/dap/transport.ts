// Where a client's DAP messages come from: this process's stdin and stdout (VS Code's
// DebugAdapterExecutable), or connections to 127.0.0.1:N (a debugServer), one session each.
import { createServer, type Server, type Socket } from 'node:net';

import { MicroscopeDebugSession, type SessionOptions } from './session.js';

export type SessionMaker = Omit<SessionOptions, 'ended'>;

/** One session over stdin and stdout; resolves when the client has disconnected or closed them. */
export function serveStdio(options: SessionMaker): Promise<void> {
  return new Promise((resolve) => {
    const session = new MicroscopeDebugSession({ ...options, ended: resolve });
    session.start(process.stdin, process.stdout);
  });
}

export interface DapServer {
  port: number;
  close(): void;
}

/** A session for each connection to 127.0.0.1:`port` (0 picks one). */
export async function listen(port: number, options: SessionMaker): Promise<DapServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const session = new MicroscopeDebugSession({ ...options, ended: () => socket.end() });
    socket.on('error', () => undefined); // 'close' follows, and the session's shutdown
    socket.on('close', () => sockets.delete(socket));
    session.setRunAsServer(true);
    session.start(socket, socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close() {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}
