// One error class per way a call or a request can fail. The addon describes each failure
// as a plain object ({ kind, message, ... }); makeError turns it into one of these.
import type { Timings } from './types.js';

export type ErrorKind = 'fault' | 'abort' | 'cancelled' | 'host' | 'elf' | 'usage' | 'backend' | 'memory' | 'busy' | 'internal';

export interface ErrorDescription {
  kind: ErrorKind;
  message: string;
  output?: string;
  outputTruncated?: boolean;
  backend?: string;
  timings?: Timings;
  vector?: string;
  vectorNumber?: number;
  rip?: bigint;
  symbol?: string;
  cr2?: bigint;
  errorCode?: number;
  detail?: string;
  code?: number;
  reason?: 'timeout' | 'cancel';
  hostFunction?: string;
}

export class MicroscopeError extends Error {
  readonly kind: ErrorKind;
  /** What the guest printed before the call failed. */
  readonly output: string;
  readonly outputTruncated: boolean;
  readonly backend?: string;
  readonly timings?: Timings;

  constructor(description: ErrorDescription) {
    super(description.message);
    this.name = new.target.name;
    this.kind = description.kind;
    this.output = description.output ?? '';
    this.outputTruncated = description.outputTruncated ?? false;
    this.backend = description.backend;
    this.timings = description.timings;
  }
}

/** The guest raised a CPU exception (or halted, shut down, wrote a bad frame). */
export class GuestFault extends MicroscopeError {
  /** "#PF", "#UD", "#DE", ..., "triple fault", "stray hlt", "bad port", "bad frame". */
  readonly vector: string;
  /** The exception vector, 0-255, when it is one. */
  readonly vectorNumber?: number;
  readonly rip: bigint;
  /** Where RIP is: "crash_null+0x2", or "[heap]" where no function covers it. */
  readonly symbol: string;
  /** The faulting address of a #PF. */
  readonly cr2?: bigint;
  readonly errorCode?: number;
  readonly detail?: string;

  constructor(description: ErrorDescription) {
    super(description);
    this.vector = description.vector ?? 'unknown';
    this.vectorNumber = description.vectorNumber;
    this.rip = description.rip ?? 0n;
    this.symbol = description.symbol ?? '';
    this.cr2 = description.cr2;
    this.errorCode = description.errorCode;
    this.detail = description.detail;
  }
}

/** The guest called ms_abort(code, message). */
export class GuestAbort extends MicroscopeError {
  readonly code: number;
  constructor(description: ErrorDescription) {
    super(description);
    this.code = description.code ?? 0;
  }
}

/** The call's timeout passed, or cancel() was called. */
export class Cancelled extends MicroscopeError {
  readonly reason: 'timeout' | 'cancel';
  constructor(description: ErrorDescription) {
    super(description);
    this.reason = description.reason ?? 'cancel';
  }
}

/** A host function threw or returned a wrong value, or the guest called one wrongly. */
export class HostFunctionError extends MicroscopeError {
  readonly hostFunction: string;
  constructor(description: ErrorDescription) {
    super(description);
    this.hostFunction = description.hostFunction ?? '';
  }
}

/** The guest file is not a loadable Microscope guest. */
export class ElfError extends MicroscopeError {}
/** A wrong argument or option. */
export class UsageError extends MicroscopeError {}
/** The requested backend can't be used here. */
export class BackendError extends MicroscopeError {}
/** A guest address range outside guest memory. */
export class MemoryError extends MicroscopeError {}
/** The sandbox is running a call. */
export class BusyError extends MicroscopeError {}
/** The engine itself failed. */
export class InternalError extends MicroscopeError {}

const classes: Record<ErrorKind, new (description: ErrorDescription) => MicroscopeError> = {
  fault: GuestFault,
  abort: GuestAbort,
  cancelled: Cancelled,
  host: HostFunctionError,
  elf: ElfError,
  usage: UsageError,
  backend: BackendError,
  memory: MemoryError,
  busy: BusyError,
  internal: InternalError,
};

export function makeError(description: ErrorDescription): MicroscopeError {
  const ErrorClass = classes[description.kind] ?? InternalError;
  return new ErrorClass(description);
}

/** The outcome kinds that are the guest's doing, as opposed to bad input. */
export function isGuestFailure(error: unknown): error is MicroscopeError {
  return error instanceof MicroscopeError && ['fault', 'abort', 'cancelled', 'host'].includes(error.kind);
}
