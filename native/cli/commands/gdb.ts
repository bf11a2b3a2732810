// microscope gdb GUEST FUNCTION [ARGS...] [--port N | --tty PATH] [--backend B]
//
// Starts the call paused at its function's entry and serves the GDB remote protocol for
// one debugging session: on 127.0.0.1:N (N = 0 picks a free port), or on a serial line
// (gdb's `target remote /dev/ttyS1`, or a VM's serial port a host's gdb reaches). Where it
// listens goes to stderr; when the call returns, its value goes to stdout and gdb sees
// the process exit with it.
import { openSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import tty from 'node:tty';

import type { DebugSession } from '../../lib/debug.js';
import { type Connection, GdbStub, type StubEvents } from '../../lib/gdb/stub.js';
import { defaultBackend, Sandbox } from '../../lib/sandbox.js';
import type { Command, Output } from '../command.js';
import { choiceOption, usageError, wholeNumberOption } from '../command_line.js';
import { readGuest } from '../guest.js';
import { formatValue, parseArguments } from '../../lib/value_text.js';
import { backends } from './call.js';

// After the call has ended on a serial line, gdb may still ask a packet or two; then the
// session is over (a line, unlike a socket, never closes).
const kSerialLingerMs = 500;

export const gdbCommand: Command = {
  usage: 'gdb GUEST FUNCTION [ARGS...] [--port N | --tty PATH] [--backend auto|emulated|kvm]',
  summary: 'start the call paused at its entry and serve the GDB remote protocol on 127.0.0.1:N (default 1234) or a tty',
  options: { port: { value: true }, tty: { value: true }, backend: { value: true } },
  async run(line, out) {
    const [guest, name, ...texts] = line.positionals;
    if (!guest || !name) throw out.usage();
    const ttyPath = line.options.get('tty');
    if (ttyPath !== undefined && (typeof ttyPath !== 'string' || line.options.has('port'))) {
      throw usageError('gdb: --tty takes a path, and not with --port');
    }
    const port = wholeNumberOption(line, 'port', 1234);
    if (port > 65535) throw usageError('--port must be at most 65535');
    const backend = choiceOption(line, 'backend', backends, defaultBackend());
    const sandbox = await Sandbox.create(readGuest(guest), { backend });
    try {
      const fn = sandbox.function(name);
      const session = await sandbox.debug(name, parseArguments(fn, texts));
      let status = 0;
      const events: StubEvents = {
        exited(stop) {
          if (stop.output) out.stdout(stop.output.endsWith('\n') ? stop.output.slice(0, -1) : stop.output);
          if (stop.error) {
            out.stderr(`gdb: the call failed: ${stop.error.message}`);
            status = 1;
          } else if (fn.returns !== 'void') {
            out.stdout(formatValue(stop.value));
          }
        },
      };
      const paused = `gdb: ${name} is paused at its entry on ${sandbox.backend}`;
      if (typeof ttyPath === 'string') await serveSerial(sandbox, session, ttyPath, events, out, paused);
      else await serveTcp(sandbox, session, port, events, out, paused, guest);
      if (session.active) session.end();
      return status;
    } finally {
      sandbox.dispose();
    }
  },
};

async function serveTcp(
  sandbox: Sandbox, session: DebugSession, port: number, events: StubEvents, out: Output, paused: string, guest: string,
): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(usageError(`gdb: can't listen on 127.0.0.1:${port}: ${error.message}`)));
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  const listening = typeof address === 'object' && address ? address.port : port;
  out.stderr(`${paused}; listening on 127.0.0.1:${listening}`);
  out.stderr(`gdb: connect with: gdb ${guest === 'demo' ? '$(microscope path demo)' : guest} -ex 'target remote 127.0.0.1:${listening}'`);
  await new Promise<void>((resolve) => {
    server.once('connection', (socket: Socket) => {
      server.close();
      socket.setNoDelay(true);
      new GdbStub(sandbox, session, socket, events);
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
  });
}

async function serveSerial(
  sandbox: Sandbox, session: DebugSession, path: string, events: StubEvents, out: Output, paused: string,
): Promise<void> {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (error) {
    throw usageError(`gdb: can't open ${path}: ${(error as Error).message}`);
  }
  if (!tty.isatty(fd)) throw usageError(`gdb: ${path} is not a tty`);
  const input = new tty.ReadStream(fd);
  input.setRawMode(true);
  const output = new tty.WriteStream(fd);
  const connection: Connection = {
    write: (data) => void output.write(data),
    end: () => undefined,
    on: (event, listener) => void input.on(event, listener),
  };
  out.stderr(`${paused}; listening on ${path}`);
  await new Promise<void>((resolve) => {
    new GdbStub(sandbox, session, connection, {
      exited(stop) {
        events.exited?.(stop);
        setTimeout(resolve, kSerialLingerMs);
      },
      closed: () => resolve(),
    });
  });
  input.destroy();
  output.destroy();
}
