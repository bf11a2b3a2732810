// Browser mode (`microscope serve`): the built inspector UI over HTTP and the inspector's
// protocol over a WebSocket, on 127.0.0.1 only, with a random token that every WebSocket
// connection must present. Requests go to an engine process (engine_process.ts), a Node
// child here, through the link that the app shares (engine_link.ts).
import { fork } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { extname, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { type WebSocket, WebSocketServer } from 'ws';

import { maxGuestBytes, type ServerMessage } from '../../common/protocol/messages.js';
import { type EngineChild, EngineLink } from './engine_link.js';

const enginePath = fileURLToPath(new URL('../engine_process/engine_process.js', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface ServerOptions {
  port: number;
  /** The built renderer (electron-vite's out/renderer). */
  rendererDir: string;
}

interface Client {
  socket: WebSocket;
}

/** The engine as a forked Node child. */
function forkEngine(): EngineChild {
  const child = fork(enginePath, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
  return {
    pid: child.pid,
    send: (message) => child.send(message as object),
    onMessage: (listener) => child.on('message', (message) => listener(message as ServerMessage)),
    onExit: (listener) => child.on('exit', (code, signal) => listener(signal ? `killed by ${signal}` : `exited with ${code}`)),
    kill: () => child.kill(),
  };
}

export class InspectorServer {
  readonly token = randomBytes(16).toString('hex');
  readonly #options: ServerOptions;
  readonly #http: Server;
  // Room for the largest guest a client may send, base64, and the message around it.
  readonly #sockets = new WebSocketServer({ noServer: true, maxPayload: Math.ceil(maxGuestBytes / 3) * 4 + (64 << 10) });
  readonly #clients = new Set<Client>();
  readonly #engine = new EngineLink<Client>({
    spawn: forkEngine,
    deliver: (client, message) => this.#send(client, message),
    broadcast: (event) => {
      for (const client of this.#clients) this.#send(client, event);
    },
  });

  constructor(options: ServerOptions) {
    this.#options = options;
    this.#http = createServer((request, response) => {
      void this.#serveFile(request.url ?? '/').then(
        ({ status, type, body }) => {
          response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
          response.end(body);
        },
        () => {
          response.writeHead(500).end();
        },
      );
    });
    this.#http.on('upgrade', (request, socket, head) => {
      if (!this.#authorized(request)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n\r\n');
        return;
      }
      this.#sockets.handleUpgrade(request, socket, head, (ws) => this.#connected(ws));
    });
  }

  /** Listens on 127.0.0.1 and starts the engine; resolves to the URL to open. */
  async start(): Promise<string> {
    await new Promise<void>((resolvePromise, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(this.#options.port, '127.0.0.1', resolvePromise);
    });
    this.#engine.start();
    const address = this.#http.address();
    const port = typeof address === 'object' && address ? address.port : this.#options.port;
    return `http://127.0.0.1:${port}/?token=${this.token}`;
  }

  close(): void {
    for (const client of this.#clients) client.socket.close();
    this.#engine.close();
    this.#http.close();
  }

  #authorized(request: IncomingMessage): boolean {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/ws') return false;
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    const expected = Buffer.from(this.token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  async #serveFile(requestUrl: string): Promise<{ status: number; type: string; body: Buffer | string }> {
    const pathname = decodeURIComponent(new URL(requestUrl, 'http://127.0.0.1').pathname);
    const root = resolve(this.#options.rendererDir);
    const file = resolve(root, '.' + normalize(pathname === '/' ? '/index.html' : pathname));
    if (file !== root && !file.startsWith(root + sep)) return { status: 404, type: 'text/plain', body: 'not found' };
    try {
      return { status: 200, type: contentTypes[extname(file)] ?? 'application/octet-stream', body: await readFile(file) };
    } catch {
      return { status: 404, type: 'text/plain', body: 'not found' };
    }
  }

  #connected(socket: WebSocket): void {
    const client: Client = { socket };
    this.#clients.add(client);
    socket.on('close', () => this.#clients.delete(client));
    socket.on('message', (data) => this.#fromClient(client, data.toString()));
    this.#send(client, this.#engine.state);
  }

  #send(client: Client, message: ServerMessage): void {
    if (client.socket.readyState === client.socket.OPEN) client.socket.send(JSON.stringify(message));
  }

  #fromClient(client: Client, text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      message = undefined;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.#send(client, { id: -1, ok: false, error: { kind: 'protocol', message: 'a message must be a JSON object' } });
      return;
    }
    this.#engine.request(client, message);
  }
}

/** Where electron-vite puts the built renderer, from dist/native/node/inspector_host. */
export const defaultRendererDir = fileURLToPath(new URL('../../../../out/renderer', import.meta.url));
