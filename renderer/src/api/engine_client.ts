// The renderer's one way to the engine: requests of the inspector's protocol
// (native/common/protocol/messages.ts) and the events the engine sends. In the Electron app it
// goes through the preload's window.microscope; in browser mode over the WebSocket of
// `microscope serve`, with the token from the page's URL.
import type { EngineEvent, Method, Params, Response, Results, WireError } from '../../../native/common/protocol/messages';

export interface EngineClient {
  request<M extends Method>(method: M, params: Params<M>): Promise<Results[M]>;
  onEvent(listener: (event: EngineEvent) => void): void;
}

/** A request the engine refused, with its error as the protocol gives it. */
export class EngineError extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
  }
}

/** What the preload exposes (preload/index.ts). */
export interface PreloadApi {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** A dropped file's path on disk. */
  pathForFile(file: File): string;
  /** The app's open dialog: a path, or null when the user cancels. */
  openGuest(): Promise<string | null>;
}

declare global {
  interface Window {
    microscope?: PreloadApi;
  }
}

// Ids, pending requests and events over any message channel.
function clientOver(send: (message: unknown) => void, subscribe: (listener: (message: unknown) => void) => void): EngineClient {
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>();
  const listeners: ((event: EngineEvent) => void)[] = [];
  subscribe((raw) => {
    const message = raw as Response | EngineEvent;
    if ('event' in message) {
      for (const listener of listeners) listener(message);
      return;
    }
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.ok) waiting.resolve(message.result as never);
    else waiting.reject(new EngineError(message.error));
  });
  return {
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        send({ id, method, params });
      });
    },
    onEvent(listener) {
      listeners.push(listener);
    },
  };
}

function webSocketClient(): EngineClient {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const socket = new WebSocket(`ws://${location.host}/ws?token=${encodeURIComponent(token)}`);
  const queued: string[] = [];
  socket.addEventListener('open', () => {
    for (const text of queued.splice(0)) socket.send(text);
  });
  return clientOver(
    (message) => {
      const text = JSON.stringify(message);
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
      else queued.push(text);
    },
    (listener) => {
      socket.addEventListener('message', (event) => listener(JSON.parse(String(event.data))));
      socket.addEventListener('close', () => listener({ event: 'engine', state: 'stopped', detail: 'the connection to the server closed' }));
    },
  );
}

export function connectEngine(): EngineClient {
  const preload = window.microscope;
  if (preload) return clientOver((m) => preload.send(m), (l) => preload.onMessage(l));
  return webSocketClient();
}
