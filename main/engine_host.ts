// The engine in its own process (Electron's utilityProcess running the same
// engine_process.js as browser mode), so a runaway guest or a native crash never
// freezes or closes the window. Requests from the renderer go to it; its messages come
// back; when it dies the renderer is told, and engine.restart starts a new one.
import { join } from 'node:path';

import { type UtilityProcess, utilityProcess, type WebContents } from 'electron';

const enginePath = join(import.meta.dirname, '../../dist/native/server/engine_process.js');

export class EngineHost {
  #process: UtilityProcess | undefined;
  readonly #renderer: WebContents;

  constructor(renderer: WebContents) {
    this.#renderer = renderer;
    this.#start();
  }

  /** A request from the renderer, already checked to come from our window. */
  request(message: unknown): void {
    const { id, method } = (message ?? {}) as { id?: unknown; method?: unknown };
    if (method === 'engine.restart') {
      this.#process?.kill();
      this.#start();
      this.#send({ id, ok: true, result: null });
      return;
    }
    if (!this.#process) {
      this.#send({ id, ok: false, error: { kind: 'engine', message: 'the engine has stopped; restart it' } });
      return;
    }
    this.#process.postMessage(message);
  }

  dispose(): void {
    this.#process?.kill();
  }

  #send(message: unknown): void {
    if (!this.#renderer.isDestroyed()) this.#renderer.send('engine:message', message);
  }

  #start(): void {
    const child = utilityProcess.fork(enginePath, [], { serviceName: 'Microscope engine', stdio: 'inherit' });
    this.#process = child;
    child.on('message', (message) => this.#send(message));
    child.on('exit', (code) => {
      if (this.#process !== child) return;
      this.#process = undefined;
      this.#send({ event: 'engine', state: 'stopped', detail: `exited with ${code}` });
    });
  }
}
