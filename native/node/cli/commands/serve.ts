// microscope serve [--port N]
//
// Browser mode: the inspector's UI and protocol on 127.0.0.1:N (0 picks a free port). The
// first line of stdout is the URL to open, with the token every connection must present;
// through an SSH tunnel it is also how to inspect a sandbox on a remote KVM host.
import { defaultRendererDir, InspectorServer } from '../../inspector_host/inspector_server.js';
import type { Command } from '../command.js';
import { usageError, wholeNumberOption } from '../command_line.js';

export const serveCommand: Command = {
  usage: 'serve [--port N]',
  summary: 'serve the inspector to a browser on 127.0.0.1:N (default 5173); prints the URL to open first',
  options: { port: { value: true } },
  async run(line, out) {
    if (line.positionals.length) throw out.usage();
    const port = wholeNumberOption(line, 'port', 5173);
    if (port > 65535) throw usageError('--port must be at most 65535');
    const server = new InspectorServer({ port, rendererDir: defaultRendererDir });
    let url: string;
    try {
      url = await server.start();
    } catch (error) {
      throw usageError(`serve: can't listen on 127.0.0.1:${port}: ${(error as Error).message}`);
    }
    out.stdout(url);
    out.stderr('serve: the inspector is up; Ctrl-C stops it');
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
    });
    server.close();
    return 0;
  },
};
