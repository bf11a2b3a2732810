// The engine in its own process (Electron's utilityProcess running the same
// engine_process.js as browser mode), so a runaway guest or a native crash never
// freezes or closes the window. The link between them is browser mode's too
// (native/node/inspector_host/engine_link.ts): the window is its one client.
import { join } from 'node:path';

import { utilityProcess, type WebContents } from 'electron';

import { type EngineChild, EngineLink } from '../native/node/inspector_host/engine_link.js';
import { ipcChannels } from '../native/common/protocol/electron_ipc.js';
import type { ServerMessage } from '../native/common/protocol/messages.js';

const enginePath = join(import.meta.dirname, '../../dist/native/node/engine_process/engine_process.js');

function spawnEngine(): EngineChild {
  const child = utilityProcess.fork(enginePath, [], { serviceName: 'Microscope engine', stdio: 'inherit' });
  return {
    get pid() {
      return child.pid;
    },
    send: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', (message) => listener(message as ServerMessage)),
    onExit: (listener) => child.on('exit', (code) => listener(`exited with ${code}`)),
    kill: () => void child.kill(),
  };
}

export class EngineHost {
  readonly #link: EngineLink<null>;

  constructor(renderer: WebContents) {
    const send = (message: ServerMessage) => {
      if (!renderer.isDestroyed()) renderer.send(ipcChannels.engineMessage, message);
    };
    this.#link = new EngineLink<null>({ spawn: spawnEngine, deliver: (_client, message) => send(message), broadcast: send });
    this.#link.start();
  }

  /** A request from the renderer, already checked to come from our window. */
  request(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    this.#link.request(null, message);
  }

  dispose(): void {
    this.#link.close();
  }
}
