// The engine process: a Node child (browser mode) or Electron's utilityProcess (the app)
// that hosts the Engine. Messages come from its parent as JSON-able objects; every one is
// checked against the protocol before it is served, and each gets one response.
import { checkRequest, ProtocolError, type Response, type ServerMessage } from '../../common/protocol/messages.js';
import { Engine, wireError } from './engine.js';

interface Port {
  on(event: 'message', listener: (message: unknown) => void): void;
  postMessage(message: ServerMessage): void;
}

// Electron's utilityProcess gives a parentPort; a forked Node child has process.send.
function parentPort(): Port {
  const electron = (process as unknown as { parentPort?: { on(e: 'message', l: (m: { data: unknown }) => void): void; postMessage(m: unknown): void } })
    .parentPort;
  if (electron) {
    return { on: (_event, listener) => electron.on('message', (m) => listener(m.data)), postMessage: (m) => electron.postMessage(m) };
  }
  if (!process.send) throw new Error('the engine process needs a parent to talk to (fork it, or run it as a utility process)');
  return { on: (event, listener) => process.on(event, listener), postMessage: (m) => process.send!(m) };
}

const port = parentPort();
const engine = new Engine((event) => port.postMessage(event));
// One request at a time, in order: a sandbox runs one call at a time, and a pause must
// reach the engine while a resume waits, so pauses and cancels go first.
let queue: Promise<void> = Promise.resolve();

port.on('message', (raw) => {
  let request;
  try {
    request = checkRequest(raw);
  } catch (error) {
    const id = error instanceof ProtocolError && error.id !== undefined ? error.id : -1;
    port.postMessage({ id, ok: false, error: { kind: 'protocol', message: (error as Error).message } });
    return;
  }
  const serve = async () => {
    let response: Response;
    try {
      response = { id: request.id, ok: true, result: await engine.handle(request) };
    } catch (error) {
      response = { id: request.id, ok: false, error: wireError(error) };
    }
    port.postMessage(response);
  };
  if (request.method === 'debug.pause' || request.method === 'call.cancel' || request.method === 'profile.cancel') void serve();
  else queue = queue.then(serve);
});

port.postMessage({ event: 'engine', state: 'running', pid: process.pid });
