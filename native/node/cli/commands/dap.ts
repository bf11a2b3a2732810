// microscope dap [--port N]
//
// A Debug Adapter Protocol server, so VS Code (native/vscode/) and other DAP clients debug
// guests: over stdin and stdout, or on 127.0.0.1:N for each connection. A launch request
// names the guest, the function and its arguments (see native/node/dap/launch_arguments.ts).
// On stdio, stdout carries DAP messages and nothing else: the guest's output and the
// adapter's words go to the client as output events, anything else to stderr.
import { defaultBackend } from '../../api/sandbox.js';
import { listen, serveStdio, type SessionMaker } from '../../dap/transport.js';
import type { Command } from '../command.js';
import { usageError, wholeNumberOption } from '../command_line.js';
import { readGuest } from '../guest.js';

export const dapCommand: Command = {
  usage: 'dap [--port N]',
  summary: 'serve the Debug Adapter Protocol (VS Code) on stdin and stdout, or on 127.0.0.1:N for each connection',
  options: { port: { value: true } },
  async run(line, out) {
    if (line.positionals.length) throw out.usage();
    const options: SessionMaker = { readGuest, defaultBackend: defaultBackend() };
    if (!line.options.has('port')) {
      // A library's stray console.log must not land in the middle of the protocol.
      console.log = console.info = console.debug = console.error;
      await serveStdio(options);
      process.stdin.destroy();
      return 0;
    }
    const port = wholeNumberOption(line, 'port', 0);
    if (port > 65535) throw usageError('--port must be at most 65535');
    let server;
    try {
      server = await listen(port, options);
    } catch (error) {
      throw usageError(`dap: can't listen on 127.0.0.1:${port}: ${(error as Error).message}`);
    }
    out.stderr(`dap: listening on 127.0.0.1:${server.port}; Ctrl-C stops it`);
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
    });
    server.close();
    return 0;
  },
};
