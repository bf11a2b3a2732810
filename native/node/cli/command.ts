// What every CLI command is: its usage line, its options and how it runs.
import type { UsageError } from '../api/errors.js';
import type { CommandLine, OptionSpec } from './command_line.js';

export interface Output {
  stdout(line: string): void;
  stderr(line: string): void;
  /** The error for a command line that doesn't match the usage. */
  usage(): UsageError;
}

export interface Command {
  usage: string;
  summary: string;
  options: Record<string, OptionSpec>;
  /** Options it doesn't know are its arguments (cc hands them to gcc: `--param`, `--coverage`). */
  passesUnknownOptions?: boolean;
  /** Resolves to the exit status; throws for failures (see failure.ts). */
  run(line: CommandLine, out: Output): Promise<number>;
}
