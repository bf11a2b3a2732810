// What each of the engine's stops is in DAP: a stopped event's reason and words, a fault's
// exception info, and a call's end as an exit code.
import type { DebugProtocol } from '@vscode/debugprotocol';

import { GuestAbort, GuestFault, MicroscopeError } from '../api/errors.js';
import type { GuestValue } from '../api/types.js';
import { formatValue, hex as bytesHex } from '../api/value_text.js';
import type { Breakpoints } from './breakpoints.js';
import type { Stop } from '../api/debug.js';
import { hex } from './registers.js';
import { faultName } from '../../common/fault_names.js';

/** "page fault" for "#PF"; a name the engine's words don't cover as it is. */
const vectorName = (vector: string) => faultName(vector) ?? vector;

export function stoppedBody(stop: Stop, breakpoints: Breakpoints): DebugProtocol.StoppedEvent['body'] {
  switch (stop.reason) {
    case 'entry':
      return { reason: 'entry', description: `Paused at the entry of ${stop.symbol}` };
    case 'step':
      return { reason: 'step' };
    case 'pause':
      return { reason: 'pause' };
    case 'breakpoint': {
      const hit = stop.breakpoint === undefined ? undefined : breakpoints.breakpoint(stop.breakpoint);
      return {
        reason: hit?.kind === 'function' ? 'function breakpoint' : 'breakpoint',
        ...(hit && { hitBreakpointIds: [hit.id] }),
      };
    }
    case 'watchpoint': {
      const watch = stop.watch;
      const id = watch && breakpoints.watchpoint(watch.watchpoint);
      const change = watch && `${watch.access} at ${hex(watch.address)}: ${bytesHex(watch.oldValue)} → ${bytesHex(watch.newValue)}`;
      return {
        reason: 'data breakpoint',
        ...(change && { description: `Paused on a data breakpoint (${change})`, text: change }),
        ...(id && { hitBreakpointIds: [id] }),
      };
    }
    case 'fault': {
      const fault = stop.error instanceof GuestFault ? stop.error : undefined;
      const text = fault ? vectorName(fault.vector) : 'fault';
      return { reason: 'exception', description: `Paused on a ${text}: ${stop.error?.message ?? stop.symbol}`, text };
    }
    case 'exit':
      return { reason: 'exit' };
    case 'start':
      return { reason: 'step', description: 'Paused at the start of the recording: nothing before it is held' };
  }
}

export function exceptionInfo(stop: Stop): DebugProtocol.ExceptionInfoResponse['body'] {
  const error = stop.error;
  if (!(error instanceof GuestFault)) {
    return { exceptionId: error?.kind ?? 'none', description: error?.message ?? 'the guest is not stopped at a fault', breakMode: 'always' };
  }
  const facts = [`at ${hex(error.rip)} (${error.symbol})`];
  if (error.cr2 !== undefined) facts.push(`CR2 ${hex(error.cr2)}`);
  if (error.errorCode !== undefined) facts.push(`error code ${hex(error.errorCode)}`);
  if (error.detail) facts.push(error.detail);
  return {
    exceptionId: error.vector,
    description: `${vectorName(error.vector)} (${error.vector}${error.vectorNumber !== undefined ? `, vector ${error.vectorNumber}` : ''}) ${facts.join(', ')}`,
    breakMode: 'always',
    details: {
      message: error.message,
      typeName: vectorName(error.vector),
      fullTypeName: error.vector,
      ...(stop.file && stop.line !== undefined && { stackTrace: `${error.symbol} at ${stop.file}:${stop.line}` }),
    },
  };
}

/** As a process's exit status: the value's low 8 bits (false 0, true 1); 0 for a value that is no number. */
export function exitCode(value: GuestValue): number {
  if (typeof value === 'bigint') return Number(value & 0xffn);
  if (typeof value === 'number') return Number.isFinite(value) ? Number(BigInt(Math.trunc(value)) & 0xffn) : 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return 0;
}

/** The line the output gets when the call ends: its value, or how it failed. */
export function endText(name: string, stop: Stop): string {
  if (stop.error) {
    if (stop.error instanceof GuestAbort) return `${name} aborted with code ${stop.error.code}: ${stop.error.message}\n`;
    return `${name} failed: ${stop.error instanceof MicroscopeError ? `${stop.error.kind}: ` : ''}${stop.error.message}\n`;
  }
  return stop.value === undefined ? `${name} returned\n` : `${name} returned ${formatValue(stop.value)}\n`;
}
