// The renderer's one way to the engine: requests of the inspector's protocol
// (native/common/protocol/messages.ts) and the events the engine sends. In the Electron app it
// goes through the preload's window.microscope; in browser mode over the WebSocket of
// `microscope serve`, with the token from the page's URL.
import type { PreloadApi } from '../../../native/common/protocol/electron_ipc';
import {
  checkEvent,
  checkResponse,
  type EngineEvent,
  isEvent,
  type Method,
  type Params,
  ProtocolError,
  responseId,
  type Results,
  type WireError,
} from '../../../native/common/protocol/messages';

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

declare global {
  interface Window {
    microscope?: PreloadApi;
  }
}

// Ids, pending requests and events over any message channel. Every message is checked
// before anyone reads it: a response against its request's method's result, an event
// against the events there are. One that fails rejects its request with the reason (or,
// with no request to blame, is reported on the console) and goes no further.
export function clientOver(send: (message: unknown) => void, subscribe: (listener: (message: unknown) => void) => void): EngineClient {
  let nextId = 1;
  const pending = new Map<number, { method: Method; resolve: (value: never) => void; reject: (error: Error) => void }>();
  const listeners: ((event: EngineEvent) => void)[] = [];
  const refuse = (error: unknown) => console.error(`Microscope: ${(error as Error).message}`);
  subscribe((raw) => {
    if (isEvent(raw)) {
      let event: EngineEvent;
      try {
        event = checkEvent(raw);
      } catch (error) {
        return refuse(error);
      }
      for (const listener of listeners) listener(event);
      return;
    }
    const id = responseId(raw);
    const waiting = id === undefined ? undefined : pending.get(id);
    if (!waiting) return refuse(new ProtocolError(`the engine answered a request that is not waiting (id ${id ?? 'missing'})`));
    pending.delete(id!);
    try {
      const response = checkResponse(waiting.method, raw);
      if (response.ok) waiting.resolve(response.result as never);
      else waiting.reject(new EngineError(response.error));
    } catch (error) {
      waiting.reject(new EngineError({ kind: 'protocol', message: (error as Error).message }));
    }
  });
  return {
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { method, resolve, reject });
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
  if (preload)
    return clientOver(
      (m) => preload.send(m),
      (l) => preload.onMessage(l),
    );
  return webSocketClient();
}
