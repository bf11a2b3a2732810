// Browser mode (`microscope serve`): the built inspector UI over HTTP and the inspector's
// protocol over a WebSocket, on 127.0.0.1 only, with a random token that every WebSocket
// connection must present. Requests go to an engine process (engine_process.ts); when it
// dies, every client is told, and engine.restart starts a new one with the same guest and
// breakpoints.
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { extname, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { type WebSocket, WebSocketServer } from 'ws';

import type { EngineEvent, Request, Response, ServerMessage } from '../protocol/messages.js';

const enginePath = fileURLToPath(new URL('./engine_process.js', import.meta.url));

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

type LoadParams = Request<'guest.load'>['params'];

interface Client {
  socket: WebSocket;
}

interface Pending {
  client: Client;
  id: number;
  method: string;
  params: unknown;
}

export class InspectorServer {
  readonly token = randomBytes(16).toString('hex');
  readonly #options: ServerOptions;
  readonly #http: Server;
  readonly #sockets = new WebSocketServer({ noServer: true, maxPayload: 8 << 20 });
  readonly #clients = new Set<Client>();
  #engine: ChildProcess | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  // What a new engine needs to be where the old one was: the guest, and the breakpoints.
  #guest: LoadParams | undefined;
  readonly #breakpoints = new Map<number, { location: string; condition?: string }>();

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
    this.#startEngine();
    const address = this.#http.address();
    const port = typeof address === 'object' && address ? address.port : this.#options.port;
    return `http://127.0.0.1:${port}/?token=${this.token}`;
  }

  close(): void {
    for (const client of this.#clients) client.socket.close();
    this.#engine?.kill();
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
    this.#send(client, { event: 'engine', state: this.#engine ? 'running' : 'stopped', ...(this.#engine?.pid ? { pid: this.#engine.pid } : {}) });
  }

  #send(client: Client, message: ServerMessage): void {
    if (client.socket.readyState === client.socket.OPEN) client.socket.send(JSON.stringify(message));
  }

  #broadcast(event: EngineEvent): void {
    for (const client of this.#clients) this.#send(client, event);
  }

  #fromClient(client: Client, text: string): void {
    let message: { id?: unknown; method?: unknown; params?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      this.#send(client, { id: -1, ok: false, error: { kind: 'protocol', message: 'a message must be JSON' } });
      return;
    }
    const id = typeof message.id === 'number' ? message.id : -1;
    if (message.method === 'engine.restart') {
      void this.#restart(client, id);
      return;
    }
    if (!this.#engine) {
      this.#send(client, { id, ok: false, error: { kind: 'engine', message: 'the engine has stopped; restart it' } });
      return;
    }
    // Ids are the client's; the engine sees the server's, so clients can't collide.
    const engineId = this.#nextId++;
    this.#pending.set(engineId, { client, id, method: String(message.method), params: message.params });
    this.#engine.send({ ...message, id: engineId });
  }

  #fromEngine(message: ServerMessage): void {
    if ('event' in message) {
      this.#broadcast(message);
      return;
    }
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (message.ok) this.#track(pending.method, pending.params, message.result);
    this.#send(pending.client, { ...message, id: pending.id } as Response);
  }

  // The guest and the breakpoints as the user set them, to set again in a new engine.
  #track(method: string, params: unknown, result: unknown): void {
    if (method === 'guest.load') {
      this.#guest = params as LoadParams;
      this.#breakpoints.clear();
    } else if (method === 'breakpoint.add') {
      const breakpoint = result as { id: number; location: string; condition: string };
      this.#breakpoints.set(breakpoint.id, { location: breakpoint.location, ...(breakpoint.condition ? { condition: breakpoint.condition } : {}) });
    } else if (method === 'breakpoint.remove') {
      this.#breakpoints.delete((params as { id: number }).id);
    }
  }

  #startEngine(): void {
    const engine = fork(enginePath, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
    this.#engine = engine;
    engine.on('message', (message) => this.#fromEngine(message as ServerMessage));
    engine.on('exit', (code, signal) => {
      if (this.#engine !== engine) return;
      this.#engine = undefined;
      for (const [engineId, pending] of this.#pending) {
        this.#send(pending.client, { id: pending.id, ok: false, error: { kind: 'engine', message: 'the engine stopped' } });
        this.#pending.delete(engineId);
      }
      this.#broadcast({ event: 'engine', state: 'stopped', detail: signal ? `killed by ${signal}` : `exited with ${code}` });
    });
  }

  // A request to the engine from the server itself.
  #ask(method: string, params: unknown): Promise<{ ok: boolean; result?: unknown }> {
    return new Promise((resolvePromise) => {
      const engineId = this.#nextId++;
      const listener = (message: ServerMessage) => {
        if (!('event' in message) && message.id === engineId) {
          this.#engine?.off('message', listener);
          resolvePromise(message.ok ? { ok: true, result: message.result } : { ok: false });
        }
      };
      this.#engine!.on('message', listener);
      this.#engine!.send({ id: engineId, method, params });
    });
  }

  async #restart(client: Client, id: number): Promise<void> {
    this.#engine?.kill();
    this.#engine = undefined;
    this.#startEngine();
    let info: unknown = null;
    if (this.#guest) {
      const loaded = await this.#ask('guest.load', this.#guest);
      if (loaded.ok) info = loaded.result;
      const old = [...this.#breakpoints.values()];
      this.#breakpoints.clear();
      for (const breakpoint of old) {
        const added = await this.#ask('breakpoint.add', breakpoint);
        if (added.ok) this.#track('breakpoint.add', breakpoint, added.result);
      }
    }
    this.#send(client, { id, ok: true, result: info } as Response);
  }
}

/** Where electron-vite puts the built renderer, from dist/native/server. */
export const defaultRendererDir = fileURLToPath(new URL('../../../out/renderer', import.meta.url));
