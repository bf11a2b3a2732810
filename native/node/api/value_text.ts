// Guest values as text, the way a user types and reads them (the CLI, the inspector):
// integers in decimal or 0x-hex, bool as true/false, bytes as lowercase hex; in JSON,
// integers beyond 2^53 as strings.
import { UsageError } from './errors.js';
import type { ArgumentValue, FunctionInfo, GuestValue, ReturnType, ValueType } from './types.js';

function usageError(message: string): UsageError {
  return new UsageError({ kind: 'usage', message });
}

const integerRanges: Partial<Record<ValueType, [bigint, bigint]>> = {
  i32: [-(2n ** 31n), 2n ** 31n - 1n],
  u32: [0n, 2n ** 32n - 1n],
  i64: [-(2n ** 63n), 2n ** 63n - 1n],
  u64: [0n, 2n ** 64n - 1n],
};

function parseInteger(text: string): bigint | undefined {
  const match = /^(-?)(0x[0-9a-f]+|[0-9]+)$/i.exec(text.trim());
  if (!match) return undefined;
  const magnitude = BigInt(match[2]!);
  return match[1] ? -magnitude : magnitude;
}

export function parseArgument(text: string, type: ValueType, where: string): ArgumentValue {
  const range = integerRanges[type];
  if (range) {
    const value = parseInteger(text);
    if (value === undefined) throw usageError(`${where} must be an ${type} in decimal or 0x-hex, got '${text}'`);
    if (value < range[0] || value > range[1]) throw usageError(`${where} is out of range for ${type}: ${text}`);
    return type === 'i32' || type === 'u32' ? Number(value) : value;
  }
  switch (type) {
    case 'f64': {
      const value = Number(text);
      if (text.trim() === '' || (Number.isNaN(value) && text.trim().toLowerCase() !== 'nan')) {
        throw usageError(`${where} must be an f64 number, got '${text}'`);
      }
      return value;
    }
    case 'bool':
      if (text !== 'true' && text !== 'false') throw usageError(`${where} must be true or false, got '${text}'`);
      return text === 'true';
    case 'str':
      return text;
    case 'bytes': {
      const hex = text.startsWith('0x') ? text.slice(2) : text;
      if (!/^([0-9a-fA-F]{2})*$/.test(hex)) {
        throw usageError(`${where} must be bytes as hex (an even number of 0-9 a-f digits), got '${text}'`);
      }
      return Uint8Array.from(Buffer.from(hex, 'hex'));
    }
    default:
      throw usageError(`${where} has an unknown type ${String(type)}`);
  }
}

export function parseArguments(fn: FunctionInfo, texts: string[]): ArgumentValue[] {
  if (texts.length !== fn.params.length) {
    throw usageError(`${fn.name} takes ${fn.params.length} argument${fn.params.length === 1 ? '' : 's'} ` + `(${describeFunction(fn)}), got ${texts.length}`);
  }
  return fn.params.map((param, i) => parseArgument(texts[i]!, param.type, `argument ${i + 1} (${param.name})`));
}

export function describeFunction(fn: FunctionInfo): string {
  return `${fn.returns} ${fn.name}(${fn.params.map((p) => `${p.type} ${p.name}`.trim()).join(', ')})`;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function formatValue(value: GuestValue): string {
  if (value === undefined) return '';
  if (value instanceof Uint8Array) return hex(value);
  return String(value);
}

export function jsonValue(value: GuestValue, type: ReturnType): unknown {
  if (value === undefined || type === 'void') return null;
  if (value instanceof Uint8Array) return hex(value);
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

/** JSON.stringify with bigints as "0x..." strings (addresses). */
export function stringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v));
}
