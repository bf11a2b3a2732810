// microscope gdb GUEST FUNCTION [ARGS...] [--port N] [--backend B]
//
// Starts the call paused at its function's entry and serves the GDB remote protocol on
// 127.0.0.1:N for one connection (N = 0 picks a free port). The address goes to stderr;
// when the call returns, its value goes to stdout and gdb sees the process exit with it.
import { createServer, type Socket } from 'node:net';

import { GdbStub } from '../../lib/gdb/stub.js';
import { defaultBackend, Sandbox } from '../../lib/sandbox.js';
import type { Command } from '../command.js';
import { choiceOption, usageError, wholeNumberOption } from '../command_line.js';
import { readGuest } from '../guest.js';
import { formatValue, parseArguments } from '../values.js';
import { backends } from './call.js';

export const gdbCommand: Command = {
  usage: 'gdb GUEST FUNCTION [ARGS...] [--port N] [--backend auto|emulated|kvm]',
  summary: 'start the call paused at its entry and serve the GDB remote protocol on 127.0.0.1:N (default 1234)',
  options: { port: { value: true }, backend: { value: true } },
  async run(line, out) {
    const [guest, name, ...texts] = line.positionals;
    if (!guest || !name) throw out.usage();
    const port = wholeNumberOption(line, 'port', 1234);
    if (port > 65535) throw usageError('--port must be at most 65535');
    const backend = choiceOption(line, 'backend', backends, defaultBackend());
    const sandbox = await Sandbox.create(readGuest(guest), { backend });
    try {
      const fn = sandbox.function(name);
      const session = await sandbox.debug(name, parseArguments(fn, texts));
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', (error) => reject(usageError(`gdb: can't listen on 127.0.0.1:${port}: ${error.message}`)));
        server.listen(port, '127.0.0.1', resolve);
      });
      const address = server.address();
      const listening = typeof address === 'object' && address ? address.port : port;
      out.stderr(`gdb: ${name} is paused at its entry on ${sandbox.backend}; listening on 127.0.0.1:${listening}`);
      out.stderr(`gdb: connect with: gdb ${guest === 'demo' ? '$(microscope path demo)' : guest} -ex 'target remote 127.0.0.1:${listening}'`);
      let status = 0;
      await new Promise<void>((resolve) => {
        server.once('connection', (socket: Socket) => {
          server.close();
          socket.setNoDelay(true);
          new GdbStub(sandbox, session, socket, {
            exited(stop) {
              if (stop.output) out.stdout(stop.output.endsWith('\n') ? stop.output.slice(0, -1) : stop.output);
              if (stop.error) {
                out.stderr(`gdb: the call failed: ${stop.error.message}`);
                status = 1;
              } else if (fn.returns !== 'void') {
                out.stdout(formatValue(stop.value));
              }
            },
          });
          socket.on('close', () => resolve());
          socket.on('error', () => resolve());
        });
      });
      if (session.active) session.end();
      return status;
    } finally {
      sandbox.dispose();
    }
  },
};
