// Splits a command line into a command, its positional arguments and its --options.
// Only words that start with "--" are options, so negative numbers stay arguments
// (`microscope call demo add -5 3`).
import { UsageError } from '../api/errors.js';

export interface OptionSpec {
  /** Takes a value (`--timeout 100` or `--timeout=100`); otherwise a flag. */
  value?: boolean;
}

export interface CommandLine {
  positionals: string[];
  options: Map<string, string | true>;
}

export function usageError(message: string): UsageError {
  return new UsageError({ kind: 'usage', message });
}

export function parseCommandLine(words: string[], specs: Record<string, OptionSpec>, command: string, passUnknown = false): CommandLine {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') {
      positionals.push(...words.slice(i + 1));
      break;
    }
    if (!word.startsWith('--')) {
      positionals.push(word);
      continue;
    }
    const [name, inline] = word.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const spec = specs[name];
    if (!spec && passUnknown) {
      positionals.push(word);
      continue;
    }
    if (!spec) throw usageError(`${command}: unknown option --${name}`);
    if (!spec.value) {
      if (inline !== undefined) throw usageError(`${command}: --${name} takes no value`);
      options.set(name, true);
      continue;
    }
    const value = inline ?? words[++i];
    if (value === undefined) throw usageError(`${command}: --${name} needs a value`);
    options.set(name, value);
  }
  return { positionals, options };
}

export function wholeNumberOption(line: CommandLine, name: string, fallback: number, min = 0): number {
  const text = line.options.get(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (typeof text !== 'string' || !/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw usageError(`--${name} must be a whole number of ${min} or more, got '${String(text)}'`);
  }
  return value;
}

/** A size in bytes: 65536, 64K, 16M, 1G (KiB, MiB and GiB are the same: powers of 1024). */
/**
 * How long a loop runs: --iterations N (default `fallback`) or --duration S, not both.
 * `command` names it in the refusal.
 */
export function runLengthOptions(line: CommandLine, command: string, fallback: number): { iterations: number; durationS: number | undefined } {
  if (line.options.has('iterations') && line.options.has('duration')) throw usageError(`${command}: give --iterations or --duration, not both`);
  const iterations = wholeNumberOption(line, 'iterations', fallback, 1);
  const durationText = line.options.get('duration');
  const durationS = durationText === undefined ? undefined : Number(durationText);
  if (durationS !== undefined && !(Number.isFinite(durationS) && durationS > 0))
    throw usageError(`--duration must be a number of seconds above 0, got '${String(durationText)}'`);
  return { iterations, durationS };
}

export function sizeOption(line: CommandLine, name: string): number | undefined {
  const text = line.options.get(name);
  if (text === undefined) return undefined;
  const match = typeof text === 'string' ? /^(\d+)\s*(?:([KMG])(?:i?B)?|B)?$/i.exec(text) : null;
  const value = match ? Number(match[1]) * 1024 ** ' KMG'.indexOf((match[2] ?? ' ').toUpperCase()) : NaN;
  if (!Number.isSafeInteger(value)) throw usageError(`--${name} must be a size such as 65536, 64K, 16M or 1G, got '${String(text)}'`);
  return value;
}

/** --memory and --io-buffer, for the commands that make a sandbox. */
export const sandboxSizeOptions = { memory: { value: true }, 'io-buffer': { value: true } } as const;
export const sandboxSizeUsage = '[--memory SIZE] [--io-buffer SIZE]';

export function sandboxSizes(line: CommandLine): { memorySize?: number; ioBufferSize?: number } {
  const memorySize = sizeOption(line, 'memory');
  const ioBufferSize = sizeOption(line, 'io-buffer');
  return { ...(memorySize !== undefined && { memorySize }), ...(ioBufferSize !== undefined && { ioBufferSize }) };
}

export function choiceOption<T extends string>(line: CommandLine, name: string, choices: readonly T[], fallback: T): T {
  const text = line.options.get(name);
  if (text === undefined) return fallback;
  if (typeof text !== 'string' || !choices.includes(text as T)) {
    throw usageError(`--${name} must be one of ${choices.join(', ')}, got '${String(text)}'`);
  }
  return text as T;
}
