// microscope functions GUEST [--json]: the guest's exported functions, read from the file.
import { Sandbox } from '../../api/sandbox.js';
import type { Command } from '../command.js';
import { readGuest } from '../guest.js';
import { describeFunction } from '../../api/value_text.js';

export const functionsCommand: Command = {
  usage: 'functions GUEST [--json]',
  summary: "list the guest's exported functions and their signatures",
  options: { json: {} },
  async run(line, out) {
    const [guest, ...extra] = line.positionals;
    if (!guest || extra.length) throw out.usage();
    const { functions } = Sandbox.inspect(readGuest(guest));
    if (line.options.has('json')) {
      out.stdout(JSON.stringify(functions.map((f) => ({ name: f.name, params: f.params.map((p) => p.type), returns: f.returns }))));
    } else {
      for (const fn of functions) out.stdout(describeFunction(fn));
    }
    return 0;
  },
};
