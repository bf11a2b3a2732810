// microscope gdb GUEST FUNCTION [ARGS...] [--port N [--once] | --tty PATH] [--backend B] [--record]
//
// With --record the call is recorded (on KVM it runs there to its end first, then is
// replayed on the emulated backend: debug/kvm_recording.h), and gdb's
// reverse-stepi, -nexti, -step, -next, -finish and -continue go back in it; its end is
// then the end of the history, from which gdb can go back, and going on exits.
//
// Starts the call paused at its function's entry and serves the GDB remote protocol: on
// 127.0.0.1:N (N = 0 picks a free port), or on a serial line (gdb's `target remote
// /dev/ttyS1`, or a VM's serial port a host's gdb reaches). Where it listens goes to
// stderr. Like gdbserver, it keeps listening when a connection closes or gdb detaches
// (a port probe, a front end's retry, a second gdb), with the call paused where it was;
// --once ends it with the first connection. Only the call's end or gdb's kill ends it
// otherwise. When the call returns, its value goes to stdout, gdb sees the process exit
// with it, and the exit status is 0; a call that failed or was killed exits 1.
import { openSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import tty from 'node:tty';

import type { DebugSession } from '../../api/debug.js';
import { type Connection, GdbStub, type StubEvents } from '../../api/gdb/stub.js';
import { defaultBackend, Sandbox } from '../../api/sandbox.js';
import type { Command, Output } from '../command.js';
import { choiceOption, sandboxSizeOptions, sandboxSizes, sandboxSizeUsage, usageError, wholeNumberOption } from '../command_line.js';
import { readGuest } from '../guest.js';
import { formatValue, parseArguments } from '../../api/value_text.js';
import { backends } from './call.js';

// After the call has ended on a serial line, gdb may still ask a packet or two; then the
// session is over (a line, unlike a socket, never closes).
const kSerialLingerMs = 500;

export const gdbCommand: Command = {
  usage: `gdb GUEST FUNCTION [ARGS...] [--port N [--once] | --tty PATH] [--backend auto|emulated|kvm] [--record] ${sandboxSizeUsage}`,
  summary: 'start the call paused at its entry and serve the GDB remote protocol on 127.0.0.1:N (default 1234) or a tty',
  options: { port: { value: true }, once: {}, tty: { value: true }, backend: { value: true }, record: {}, ...sandboxSizeOptions },
  async run(line, out) {
    const [guest, name, ...texts] = line.positionals;
    if (!guest || !name) throw out.usage();
    const ttyPath = line.options.get('tty');
    if (ttyPath !== undefined && (typeof ttyPath !== 'string' || line.options.has('port') || line.options.has('once'))) {
      throw usageError('gdb: --tty takes a path, and not with --port or --once');
    }
    const port = wholeNumberOption(line, 'port', 1234);
    if (port > 65535) throw usageError('--port must be at most 65535');
    const backend = choiceOption(line, 'backend', backends, defaultBackend());
    const sandbox = await Sandbox.create(readGuest(guest), { backend, ...sandboxSizes(line) });
    try {
      const fn = sandbox.function(name);
      const session = await sandbox.debug(name, parseArguments(fn, texts), { record: line.options.has('record') });
      // As for `call`: 0 only for a value; anything else that ends the call is a failure.
      let status: number | undefined;
      const events: StubEvents = {
        exited(stop) {
          if (stop.output) out.stdout(stop.output.endsWith('\n') ? stop.output.slice(0, -1) : stop.output);
          if (stop.error) {
            out.stderr(`gdb: the call failed: ${stop.error.message}`);
            status = 1;
          } else {
            if (fn.returns !== 'void') out.stdout(formatValue(stop.value));
            status = 0;
          }
        },
        killed() {
          if (status === undefined) out.stderr(`gdb: gdb killed the call before ${name} returned`);
          status ??= 1;
        },
      };
      const paused = `gdb: ${name} is paused at its entry on ${sandbox.backend}`;
      if (typeof ttyPath === 'string') await serveSerial(sandbox, session, ttyPath, events, out, paused);
      else await serveTcp(sandbox, session, port, line.options.has('once'), events, out, paused, guest);
      if (session.active) session.end();
      if (status === undefined) out.stderr(`gdb: the connection closed before ${name} returned (--once)`);
      return status ?? 1;
    } finally {
      sandbox.dispose();
    }
  },
};

async function serveTcp(
  sandbox: Sandbox,
  session: DebugSession,
  port: number,
  once: boolean,
  events: StubEvents,
  out: Output,
  paused: string,
  guest: string,
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
    let active: Socket | undefined;
    let over = false;
    const finish = () => {
      over = true;
      server.close();
      active?.destroy();
      resolve();
    };
    server.on('connection', (socket: Socket) => {
      // One gdb at a time, as gdbserver: another connection waits for none, it is closed.
      if (active || over) {
        socket.destroy();
        return;
      }
      active = socket;
      socket.setNoDelay(true);
      const stub = new GdbStub(sandbox, session, socket, {
        ...events,
        killed() {
          events.killed?.();
          finish();
        },
      });
      socket.on('error', () => undefined); // 'close' follows
      socket.on('close', () => {
        stub.disconnected();
        active = undefined;
        if (once || stub.ended) finish();
      });
    });
  });
}

async function serveSerial(sandbox: Sandbox, session: DebugSession, path: string, events: StubEvents, out: Output, paused: string): Promise<void> {
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
  // A line never closes: after a detach the next gdb on it gets a stub of its own.
  let receive: ((chunk: Buffer) => void) | undefined;
  input.on('data', (chunk: Buffer) => receive?.(chunk));
  const connection: Connection = {
    write: (data) => void output.write(data),
    end: () => undefined,
    on: (_event, listener) => void (receive = listener),
  };
  out.stderr(`${paused}; listening on ${path}`);
  await new Promise<void>((resolve) => {
    const serve = () =>
      new GdbStub(sandbox, session, connection, {
        exited: events.exited,
        // Once gdb has seen the exit (for a recorded call, after going on from the end of its history).
        over: () => setTimeout(resolve, kSerialLingerMs),
        killed() {
          events.killed?.();
          resolve();
        },
        detached: serve,
      });
    serve();
  });
  input.destroy();
  output.destroy();
}
