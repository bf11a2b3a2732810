#!/usr/bin/env node
// microscope: the command line. `microscope help` lists the commands.
import type { Command } from './command.js';
import { parseCommandLine, usageError } from './command_line.js';
import { benchCommand } from './commands/bench.js';
import { callCommand } from './commands/call.js';
import { compareCommand } from './commands/compare.js';
import { functionsCommand } from './commands/functions.js';
import { gdbCommand } from './commands/gdb.js';
import { pathCommand } from './commands/path.js';
import { serveCommand } from './commands/serve.js';
import { traceCommand } from './commands/trace.js';
import { exitStatus, failureJson, failureText, statusFor } from './failure.js';

const commands: Record<string, Command> = {
  functions: functionsCommand,
  call: callCommand,
  bench: benchCommand,
  compare: compareCommand,
  trace: traceCommand,
  gdb: gdbCommand,
  serve: serveCommand,
  path: pathCommand,
};

function help(): string {
  const lines = ['usage: microscope <command> ...', '', 'GUEST is a path to a guest ELF, or "demo" for the bundled demo guest.', ''];
  for (const command of Object.values(commands)) lines.push(`  microscope ${command.usage}`, `      ${command.summary}`);
  return lines.join('\n');
}

async function main(words: string[]): Promise<number> {
  const [name, ...rest] = words;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(help() + '\n');
    return name ? exitStatus.ok : exitStatus.badInput;
  }
  const command = commands[name];
  const json = rest.includes('--json');
  const out = {
    stdout: (line: string) => process.stdout.write(line + '\n'),
    stderr: (line: string) => process.stderr.write(line + '\n'),
    usage: () => usageError(`usage: microscope ${command?.usage ?? name}`),
  };
  try {
    if (!command) throw usageError(`unknown command '${name}'; run microscope help`);
    return await command.run(parseCommandLine(rest, command.options, name), out);
  } catch (error) {
    if (json) out.stdout(JSON.stringify(failureJson(error)));
    else out.stderr(failureText(error));
    return statusFor(error);
  }
}

process.exitCode = await main(process.argv.slice(2));
