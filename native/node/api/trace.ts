// A call's trace (engine side: native/engine/core/debug/call_trace.h) and its export as Chrome
// Trace Event JSON, which Perfetto and chrome://tracing open: guest functions and host
// calls as complete ("X") events nested by time on one track, exits as instants.
import type { MicroscopeError } from './errors.js';
import type { GuestValue } from './types.js';

export interface TraceEvent {
  kind: 'function' | 'host' | 'exit';
  /** The function's symbol, the host function's name, or the exit's reason ("out 0x6d00", "hlt"). */
  name: string;
  /** Functions around it. */
  depth: number;
  /** From the call's start. */
  startNs: number;
  /** 0 for an exit. */
  durationNs: number;
  /** A function's first instruction. */
  address?: bigint;
  /** A function's arguments as it was entered, where DWARF says where they are: "n=20". */
  arguments?: string;
  /** A host call's arguments, and its result or error. */
  args?: GuestValue[];
  result?: GuestValue;
  error?: string;
}

export interface CallTrace {
  events: TraceEvent[];
  /** Events beyond the first million were dropped (the call ran to its end). */
  truncated: boolean;
  durationNs: number;
  /** The snapshot's restore, from the trace's start: the first thing the call does. */
  restoreNs: number;
  backend: string;
  /** The call's result, or how it failed. */
  value?: GuestValue;
  error?: MicroscopeError;
  output: string;
}

export interface ChromeTraceEvent {
  name: string;
  cat: string;
  ph: 'X' | 'i';
  /** Microseconds, as the format has them (fractions carry the nanoseconds). */
  ts: number;
  dur?: number;
  s?: 't';
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ns';
  otherData: Record<string, string>;
}

/** A guest value as JSON can hold it: 64-bit integers and bytes as strings. */
function jsonable(value: GuestValue): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return value;
}

/** The trace in Chrome's Trace Event format; `call` names the traced call ("fib(10)"). */
export function toChromeTrace(trace: CallTrace, call: string): ChromeTrace {
  const common = { pid: 1, tid: 1 };
  const traceEvents = trace.events.map((event): ChromeTraceEvent => {
    const ts = event.startNs / 1000;
    switch (event.kind) {
      case 'function':
        return { name: event.name, cat: 'guest', ph: 'X', ts, dur: event.durationNs / 1000, ...common, args: { address: `0x${event.address!.toString(16)}` } };
      case 'host':
        return {
          name: event.name,
          cat: 'host',
          ph: 'X',
          ts,
          dur: event.durationNs / 1000,
          ...common,
          args: { arguments: event.args!.map(jsonable), ...(event.error === undefined ? { result: jsonable(event.result) } : { error: event.error }) },
        };
      case 'exit':
        return { name: event.name, cat: 'exit', ph: 'i', s: 't', ts, ...common };
    }
  });
  const outcome = trace.error ? `${trace.error.name}: ${trace.error.message}` : String(jsonable(trace.value));
  return {
    traceEvents,
    displayTimeUnit: 'ns',
    otherData: { call, backend: trace.backend, outcome, ...(trace.truncated ? { truncated: 'events beyond the first million were dropped' } : {}) },
  };
}
