#!/usr/bin/env node
// microscope: the command line. `microscope help` lists the commands.
import type { Command } from './command.js';
import { parseCommandLine, usageError } from './command_line.js';
import { exitStatus, failureJson, failureText, statusFor } from './failure.js';

// Each command's module loads only when it runs (help loads them all): a command needs
// only its own packages, so `microscope gdb` runs where the profiler's or the server's
// aren't installed (the KVM test guest has Node, the addon and dist/, no node_modules).
const commands: Record<string, () => Promise<Command>> = {
  functions: async () => (await import('./commands/functions.js')).functionsCommand,
  call: async () => (await import('./commands/call.js')).callCommand,
  bench: async () => (await import('./commands/bench.js')).benchCommand,
  profile: async () => (await import('./commands/profile.js')).profileCommand,
  compare: async () => (await import('./commands/compare.js')).compareCommand,
  trace: async () => (await import('./commands/trace.js')).traceCommand,
  coverage: async () => (await import('./commands/coverage.js')).coverageCommand,
  gdb: async () => (await import('./commands/gdb.js')).gdbCommand,
  dap: async () => (await import('./commands/dap.js')).dapCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  path: async () => (await import('./commands/path.js')).pathCommand,
  cc: async () => (await import('./commands/cc.js')).ccCommand,
};

async function help(): Promise<string> {
  const lines = ['usage: microscope <command> ...', '', 'GUEST is a path to a guest ELF, or "demo" or "sqlite" for a bundled guest.', ''];
  for (const load of Object.values(commands)) {
    const command = await load();
    lines.push(`  microscope ${command.usage}`, `      ${command.summary}`);
  }
  return lines.join('\n');
}

async function main(words: string[]): Promise<number> {
  const [name, ...rest] = words;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write((await help()) + '\n');
    return name ? exitStatus.ok : exitStatus.badInput;
  }
  const command = Object.hasOwn(commands, name) ? await commands[name]!() : undefined;
  const json = rest.includes('--json');
  const out = {
    stdout: (line: string) => process.stdout.write(line + '\n'),
    stderr: (line: string) => process.stderr.write(line + '\n'),
    usage: () => usageError(`usage: microscope ${command?.usage ?? name}`),
  };
  try {
    if (!command) throw usageError(`unknown command '${name}'; run microscope help`);
    return await command.run(parseCommandLine(rest, command.options, name, command.passesUnknownOptions), out);
  } catch (error) {
    if (json) out.stdout(JSON.stringify(failureJson(error)));
    else out.stderr(failureText(error));
    return statusFor(error);
  }
}

process.exitCode = await main(process.argv.slice(2));
