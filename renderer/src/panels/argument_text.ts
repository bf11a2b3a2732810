// Arguments as the user writes them: one field's text checked against its parameter's type
// (the Functions panel's form), and a list of calls, one JSON array of argument texts a line
// (JSONL, as `microscope coverage --calls` reads it: [5], ["hello"], ["0a0b"]).
import type { WireFunction } from '../../../native/common/protocol/messages';

const integer = /^-?(0x[0-9a-f]+|[0-9]+)$/i;

/** Why `text` can't be an argument of `type`, or null when it can. */
export function argumentProblem(type: string, text: string): string | null {
  switch (type) {
    case 'i32':
    case 'u32':
    case 'i64':
    case 'u64': {
      if (!integer.test(text.trim())) return `${type}: a decimal or 0x-hex integer`;
      const value = BigInt(text.trim().replace(/^-/, '')) * (text.trim().startsWith('-') ? -1n : 1n);
      const bits = type.endsWith('32') ? 32n : 64n;
      const [min, max] = type.startsWith('u') ? [0n, 2n ** bits - 1n] : [-(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n];
      return value < min || value > max ? `${type}: out of range (${min} to ${max})` : null;
    }
    case 'f64':
      return text.trim() !== '' && Number.isFinite(Number(text)) ? null : 'f64: a number';
    case 'bool':
      return text === 'true' || text === 'false' ? null : 'bool: true or false';
    case 'bytes':
      return /^([0-9a-f]{2})*$/i.test(text) ? null : 'bytes: hex, two digits a byte';
    default:
      return null;
  }
}

/** A call's arguments as a line of the list: texts, so a u64 keeps every digit. */
export function callLine(args: readonly string[]): string {
  return JSON.stringify(args);
}

/** The calls of a JSONL list, each checked against `fn`'s parameters; or why not, for the first line wrong. */
export function parseCalls(text: string, fn: WireFunction): { calls: string[][] } | { problem: string } {
  const calls: string[][] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    const where = `Line ${index + 1}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return { problem: `${where} is not JSON: write a call as an array, like ${callLine(fn.params.map(() => '0'))}` };
    }
    if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string' || typeof a === 'number'))
      return { problem: `${where} must be an array of the call's arguments (numbers or strings)` };
    if (parsed.length !== fn.params.length)
      return { problem: `${where}: ${fn.name} takes ${fn.params.length} ${fn.params.length === 1 ? 'argument' : 'arguments'}, not ${parsed.length}` };
    const args = parsed.map(String);
    const wrong = fn.params.findIndex((p, i) => argumentProblem(p.type, args[i]!) !== null);
    if (wrong >= 0) return { problem: `${where}: ${fn.params[wrong]!.name}: ${argumentProblem(fn.params[wrong]!.type, args[wrong]!)}` };
    calls.push(args);
  }
  return calls.length ? { calls } : { problem: 'No calls: one JSON array of arguments a line' };
}
