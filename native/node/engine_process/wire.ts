// The engine's values as the protocol carries them (native/common/protocol/messages.ts): 64-bit
// numbers and bytes as hex text, errors as plain objects, traces capped for one response.
import type { Stop, Variable } from '../api/debug.js';
import { GuestAbort, GuestFault, MicroscopeError } from '../api/errors.js';
import type { Coverage } from '../api/coverage.js';
import type { LastWrite } from '../api/time_travel.js';
import type { CallTrace } from '../api/trace.js';
import type { GuestValue, RegisterState } from '../api/types.js';
import { formatValue } from '../api/value_text.js';
import {
  maxWireTraceEvents,
  type WireCoverage,
  type WireError,
  type WireLastWrite,
  type WireRegisters,
  type WireStop,
  type WireTrace,
  type WireTraceEvent,
  type WireVariable,
} from '../../common/protocol/messages.js';

export const hex = (value: bigint | number) => `0x${value.toString(16)}`;

export function wireError(error: unknown): WireError {
  if (!(error instanceof MicroscopeError)) return { kind: 'internal', message: (error as Error)?.message ?? String(error) };
  const wire: WireError = { kind: error.kind, message: error.message };
  if (error instanceof GuestFault) {
    wire.vector = error.vector;
    wire.rip = hex(error.rip);
    wire.symbol = error.symbol;
    if (error.cr2 !== undefined) wire.cr2 = hex(error.cr2);
  }
  if (error instanceof GuestAbort) wire.code = error.code;
  return wire;
}

export function wireRegisters(registers: RegisterState): WireRegisters {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(registers)) {
    if (typeof value === 'bigint') values[name] = hex(value);
    else if (typeof value === 'number') values[name] = hex(value);
    else if (name !== 'flags' && value && typeof value === 'object') {
      for (const [field, part] of Object.entries(value)) values[`${name}.${field}`] = hex(part as bigint | number);
    }
  }
  return { values, flags: { ...registers.flags, iopl: registers.flags.iopl !== 0 } };
}

export function wireVariable(variable: Variable): WireVariable {
  const { address, ...rest } = variable;
  return address === undefined ? rest : { ...rest, address: hex(address) };
}

export function wireStop(stop: Stop): WireStop {
  const wire: WireStop = { reason: stop.reason, rip: hex(stop.rip), symbol: stop.symbol, registers: wireRegisters(stop.registers) };
  if (stop.file !== undefined) wire.file = stop.file;
  if (stop.line !== undefined) wire.line = stop.line;
  if (stop.breakpoint !== undefined) wire.breakpoint = stop.breakpoint;
  if (stop.position !== undefined) wire.position = stop.position;
  if (stop.logs?.length) wire.logs = stop.logs;
  if (stop.watch) {
    const { watchpoint, address, size, access, instruction, oldValue, newValue } = stop.watch;
    const bytes = (value: Uint8Array) => Buffer.from(value).toString('hex');
    wire.watch = { watchpoint, address: hex(address), size, access, oldValue: bytes(oldValue), newValue: bytes(newValue) };
    if (instruction !== undefined) wire.watch.instruction = hex(instruction);
  }
  if (stop.reason === 'exit' && !stop.error) wire.value = formatValue(stop.value);
  if (stop.error) wire.error = wireError(stop.error);
  if (stop.output !== undefined) wire.output = stop.output;
  return wire;
}

const valueText = (value: GuestValue) => (typeof value === 'string' ? JSON.stringify(value) : formatValue(value));

/** The trace for the UI: at most maxWireTraceEvents events, the earliest. */
// The trace's clock starts before the call does: first the snapshot's restore, then the
// engine sets the vCPU up and enters the guest, where the first function's event begins.
function leadIn(trace: CallTrace): WireTrace['leadIn'] {
  const first = trace.events[0]?.startNs ?? trace.durationNs;
  const restore = Math.min(trace.restoreNs, first);
  const phases: WireTrace['leadIn'] = [];
  if (restore > 0) phases.push({ name: 'restore the snapshot', startNs: 0, durationNs: restore });
  if (first > restore) phases.push({ name: 'enter the guest', startNs: restore, durationNs: first - restore });
  return phases;
}

export function wireTrace(trace: CallTrace, call: string): WireTrace {
  const events = trace.events.slice(0, maxWireTraceEvents).map((event): WireTraceEvent => {
    const wire: WireTraceEvent = { kind: event.kind, name: event.name, depth: event.depth, startNs: event.startNs, durationNs: event.durationNs };
    if (event.kind === 'function' && event.address !== undefined) wire.detail = hex(event.address);
    if (event.arguments !== undefined) wire.args = event.arguments;
    if (event.kind === 'host') {
      const outcome = event.error !== undefined ? `error: ${event.error}` : `→ ${valueText(event.result)}`;
      wire.detail = `(${(event.args ?? []).map(valueText).join(', ')}) ${outcome}`;
    }
    return wire;
  });
  return {
    call,
    backend: trace.backend,
    durationNs: trace.durationNs,
    eventCount: trace.events.length,
    leadIn: leadIn(trace),
    events,
    truncated: trace.truncated || trace.events.length > events.length,
    ok: !trace.error,
    ...(trace.error ? { error: wireError(trace.error) } : { value: formatValue(trace.value) }),
    output: trace.output,
  };
}

export function wireCoverage(coverage: Coverage, call: string, backend: string): WireCoverage {
  return {
    call,
    backend,
    exact: coverage.exact,
    calls: coverage.calls,
    files: coverage.files.map((file) => ({ path: file.path, lines: file.lines })),
    instructions: coverage.instructions.map(([address, count]) => [hex(address), count]),
    failures: coverage.failures.map((f) => ({ call: f.call, error: wireError(f.error) })),
  };
}

/** A last write as the protocol carries it: hex addresses and bytes. */
export function wireLastWrite(found: LastWrite): WireLastWrite {
  if (!found.found) return { found: false };
  const bytes = (value: Uint8Array | undefined) => (value ? Buffer.from(value).toString('hex') : undefined);
  const wire: WireLastWrite = { found: true, position: found.position };
  if (found.instruction !== undefined) wire.instruction = hex(found.instruction);
  if (found.instructionSymbol !== undefined) wire.symbol = found.instructionSymbol;
  if (found.file !== undefined) wire.file = found.file;
  if (found.line !== undefined) wire.line = found.line;
  if (found.oldValue) wire.oldValue = bytes(found.oldValue);
  if (found.newValue) wire.newValue = bytes(found.newValue);
  return wire;
}
