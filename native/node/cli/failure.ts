// How a failed command is reported: a line on stderr, or with --json one JSON object on
// stdout; and the exit status: 1 when the guest failed, 2 when the input was bad.
import { GuestAbort, Cancelled, GuestFault, HostFunctionError, MicroscopeError } from '../api/errors.js';

export const exitStatus = { ok: 0, guestFailure: 1, badInput: 2 } as const;

export function statusFor(error: unknown): number {
  if (!(error instanceof MicroscopeError)) return exitStatus.guestFailure;
  switch (error.kind) {
    case 'usage':
    case 'elf':
    case 'backend':
    case 'memory':
      return exitStatus.badInput;
    default:
      return exitStatus.guestFailure;
  }
}

const hex = (value: bigint) => `0x${value.toString(16)}`;

export function describeFailure(error: unknown): Record<string, unknown> {
  if (!(error instanceof MicroscopeError)) return { kind: 'internal', message: String((error as Error)?.message ?? error) };
  const described: Record<string, unknown> = { kind: error.kind, message: error.message };
  if (error instanceof GuestFault) {
    described.vector = error.vector;
    if (error.vectorNumber !== undefined) described.vectorNumber = error.vectorNumber;
    described.rip = hex(error.rip);
    described.symbol = error.symbol;
    if (error.cr2 !== undefined) described.cr2 = hex(error.cr2);
    if (error.errorCode !== undefined) described.errorCode = error.errorCode;
    if (error.detail) described.detail = error.detail;
  } else if (error instanceof GuestAbort) {
    described.code = error.code;
  } else if (error instanceof Cancelled) {
    described.reason = error.reason;
  } else if (error instanceof HostFunctionError) {
    described.hostFunction = error.hostFunction;
  }
  return described;
}

export function failureJson(error: unknown): Record<string, unknown> {
  const json: Record<string, unknown> = { ok: false, error: describeFailure(error) };
  if (error instanceof MicroscopeError && error.backend) {
    json.output = error.output;
    if (error.outputTruncated) json.outputTruncated = true;
    json.backend = error.backend;
    json.timings = error.timings;
  }
  return json;
}

export function failureText(error: unknown): string {
  if (error instanceof GuestAbort) return `abort: code ${error.code}: ${error.message}`;
  if (error instanceof MicroscopeError) return `${error.kind}: ${error.message}`;
  return `error: ${String((error as Error)?.stack ?? error)}`;
}
