// The link between the inspector's clients and its engine process, shared by browser mode
// (a Node child, inspector_server.ts) and the app (Electron's utilityProcess,
// main/engine_host.ts): requests go to the engine with ids of the link's own, so clients
// can't collide; when the engine dies every waiting request fails and every client is
// told; engine.restart starts a new engine where the old one was (session_memory.ts).
import type { EngineEvent, Method, Params, Response, Results, ServerMessage } from '../../common/protocol/messages.js';
import { SessionMemory } from './session_memory.js';

/** An engine process, however it was started. */
export interface EngineChild {
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(listener: (message: ServerMessage) => void): void;
  /** `detail` says how it ended ("exited with 1", "killed by SIGKILL"). */
  onExit(listener: (detail: string) => void): void;
  kill(): void;
}

export interface LinkOptions<C> {
  spawn(): EngineChild;
  /** A response or event to one client. */
  deliver(client: C, message: ServerMessage): void;
  /** An event to every client. */
  broadcast(event: EngineEvent): void;
}

interface Pending<C> {
  client: C;
  id: number;
  method: string;
  params: unknown;
}

export class EngineLink<C> {
  readonly #options: LinkOptions<C>;
  #engine: EngineChild | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending<C>>();
  /** The link's own requests (a restart's replay). */
  readonly #asked = new Map<number, (response: Response) => void>();
  readonly #memory = new SessionMemory();

  constructor(options: LinkOptions<C>) {
    this.#options = options;
  }

  /** The engine's state, as a new client should first hear it. */
  get state(): EngineEvent {
    return { event: 'engine', state: this.#engine ? 'running' : 'stopped', ...(this.#engine?.pid ? { pid: this.#engine.pid } : {}) };
  }

  start(): void {
    const engine = this.#options.spawn();
    this.#engine = engine;
    engine.onMessage((message) => this.#fromEngine(message));
    engine.onExit((detail) => {
      if (this.#engine !== engine) return;
      this.#engine = undefined;
      this.#failWaiting();
      this.#options.broadcast({ event: 'engine', state: 'stopped', detail });
    });
  }

  /** A parsed message from a client; the engine process checks it against the protocol. */
  request(client: C, message: { id?: unknown; method?: unknown; params?: unknown }): void {
    const id = typeof message.id === 'number' ? message.id : -1;
    if (message.method === 'engine.restart') {
      void this.#restart(client, id);
      return;
    }
    if (!this.#engine) {
      this.#options.deliver(client, { id, ok: false, error: { kind: 'engine', message: 'the engine has stopped; restart it' } });
      return;
    }
    const engineId = this.#nextId++;
    this.#pending.set(engineId, { client, id, method: String(message.method), params: message.params });
    this.#engine.send({ ...message, id: engineId });
  }

  /** Stops the engine; what waits for it fails. */
  close(): void {
    const engine = this.#engine;
    this.#engine = undefined;
    engine?.kill();
    this.#failWaiting();
  }

  #failWaiting(): void {
    const error = { kind: 'engine', message: 'the engine stopped' };
    for (const [engineId, pending] of this.#pending) {
      this.#pending.delete(engineId);
      this.#options.deliver(pending.client, { id: pending.id, ok: false, error });
    }
    for (const [engineId, answer] of this.#asked) {
      this.#asked.delete(engineId);
      answer({ id: engineId, ok: false, error });
    }
  }

  #fromEngine(message: ServerMessage): void {
    if ('event' in message) {
      this.#options.broadcast(message);
      return;
    }
    const asked = this.#asked.get(message.id);
    if (asked) {
      this.#asked.delete(message.id);
      asked(message);
      return;
    }
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (message.ok) this.#memory.track(pending.method, pending.params, message.result);
    this.#options.deliver(pending.client, { ...message, id: pending.id } as Response);
  }

  #ask<M extends Method>(method: M, params: Params<M>): Promise<{ ok: true; result: Results[M] } | { ok: false }> {
    return new Promise((resolve) => {
      if (!this.#engine) return resolve({ ok: false });
      const engineId = this.#nextId++;
      this.#asked.set(engineId, (response) => resolve(response.ok ? { ok: true, result: response.result as Results[M] } : { ok: false }));
      this.#engine.send({ id: engineId, method, params });
    });
  }

  async #restart(client: C, id: number): Promise<void> {
    this.close();
    this.start();
    const info = await this.#memory.replay((method, params) => this.#ask(method, params));
    this.#options.deliver(client, { id, ok: true, result: info } as Response);
  }
}
