// The stackTrace request: the guest's frames, the running one first, each named by its C
// function with its arguments ("fib(n=3)"), its source line and its instruction pointer
// (the disassembly view's anchor). A frame's DAP id is its index + 1, until the next stop.
import { basename } from 'node:path';

import type { DebugProtocol } from '@vscode/debugprotocol';

import type { Frame } from '../api/debug.js';
import { hex } from './registers.js';

export function frameName(frame: Frame): string {
  if (!frame.function) return frame.symbol.replace(/\+0x[0-9a-f]+$/i, '');
  return `${frame.function}(${frame.args.map((arg) => `${arg.name}=${arg.value}`).join(', ')})`;
}

/** The frame index a DAP frameId names (none: the running frame). */
export function frameIndex(frameId: number | undefined): number {
  return frameId ? frameId - 1 : 0;
}

export function stackTrace(frames: Frame[], start = 0, levels = 0): DebugProtocol.StackTraceResponse['body'] {
  const shown = frames.slice(start, levels ? start + levels : undefined);
  return {
    totalFrames: frames.length,
    stackFrames: shown.map((frame, i): DebugProtocol.StackFrame => ({
      id: start + i + 1,
      name: frameName(frame),
      line: frame.line ?? 0,
      column: frame.line === undefined ? 0 : 1,
      instructionPointerReference: hex(frame.rip),
      ...(frame.file ? { source: { name: basename(frame.file), path: frame.file } } : { presentationHint: 'subtle' as const }),
    })),
  };
}
