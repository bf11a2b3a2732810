// DAP's breakpoints over the sandbox's: source lines, functions and data (watchpoints). DAP
// replaces a whole set at a time (one source's, every function's, every data one); the
// sandbox adds and removes them one by one, and its ids are its own, so the adapter gives
// each its DAP id and remembers which engine breakpoint is which.
import { basename } from 'node:path';

import type { DebugProtocol } from '@vscode/debugprotocol';

import type { ResolvedLine, WatchKind } from '../api/debug.js';
import type { Sandbox } from '../api/sandbox.js';

export type BreakpointKind = 'source' | 'function' | 'data';

const hex = (value: bigint) => `0x${value.toString(16)}`;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

const watchKinds: Record<DebugProtocol.DataBreakpointAccessType, WatchKind> = { read: 'read', write: 'write', readWrite: 'access' };

/** A data breakpoint's dataId: where and how many bytes. */
export function dataId(address: bigint, length: number): string {
  return `${hex(address)}/${length}`;
}

function parseDataId(id: string): { address: bigint; length: number } {
  const match = /^(0x[0-9a-f]+)\/(\d+)$/i.exec(id);
  if (!match) throw new Error(`'${id}' is not a data breakpoint id of this adapter`);
  return { address: BigInt(match[1]!), length: Number(match[2]) };
}

/**
 * A source line as the guest's line tables name it. The client gives a path on its machine;
 * where that isn't the line table's (a guest built elsewhere), the file's name is enough when
 * only one of the guest's files has it.
 */
export function resolveSourceLine(sandbox: Sandbox, path: string, line: number): ResolvedLine {
  try {
    return sandbox.resolveLine(path, line);
  } catch (error) {
    const name = basename(path);
    const same = sandbox.sourceFiles().filter((file) => basename(file.file) === name);
    if (same.length !== 1) throw error;
    return sandbox.resolveLine(same[0]!.file, line);
  }
}

export class Breakpoints {
  readonly #sandbox: Sandbox;
  #nextId = 1;
  /** Engine breakpoint id → its DAP id and kind. */
  readonly #byEngineId = new Map<number, { id: number; kind: BreakpointKind }>();
  /** Engine watchpoint id → its DAP id. */
  readonly #byWatchpoint = new Map<number, number>();
  /** Each source's engine breakpoint ids, by path. */
  readonly #sources = new Map<string, number[]>();
  #functions: number[] = [];

  constructor(sandbox: Sandbox) {
    this.#sandbox = sandbox;
  }

  setSource(source: DebugProtocol.Source, requested: DebugProtocol.SourceBreakpoint[]): DebugProtocol.Breakpoint[] {
    const path = source.path ?? source.name ?? '';
    this.#removeAll(this.#sources.get(path) ?? []);
    const ids: number[] = [];
    const result = requested.map((wanted): DebugProtocol.Breakpoint => {
      try {
        const resolved = resolveSourceLine(this.#sandbox, path, wanted.line);
        const engine = this.#sandbox.addBreakpoint(`${resolved.file}:${resolved.line}`, {
          ...(wanted.condition && { condition: wanted.condition }),
          ...(wanted.hitCondition && { hitCondition: wanted.hitCondition }),
          ...(wanted.logMessage && { logMessage: wanted.logMessage }),
        });
        ids.push(engine.id);
        const line = engine.line ?? resolved.line;
        const moved = line !== wanted.line ? `line ${wanted.line} has no code: the breakpoint is on line ${line}, the next line that has` : undefined;
        return {
          id: this.#register(engine.id, 'source'),
          verified: true,
          source,
          line,
          instructionReference: hex(engine.address),
          ...(moved && { message: moved }),
        };
      } catch (error) {
        return { id: this.#nextId++, verified: false, source, line: wanted.line, message: messageOf(error), reason: 'failed' };
      }
    });
    this.#sources.set(path, ids);
    return result;
  }

  setFunctions(requested: DebugProtocol.FunctionBreakpoint[]): DebugProtocol.Breakpoint[] {
    this.#removeAll(this.#functions);
    this.#functions = [];
    return requested.map((wanted): DebugProtocol.Breakpoint => {
      try {
        const engine = this.#sandbox.addBreakpoint(wanted.name.trim(), {
          ...(wanted.condition && { condition: wanted.condition }),
          ...(wanted.hitCondition && { hitCondition: wanted.hitCondition }),
        });
        this.#functions.push(engine.id);
        const where = this.#sandbox.sourceLine(engine.address);
        return {
          id: this.#register(engine.id, 'function'),
          verified: true,
          instructionReference: hex(engine.address),
          ...(where && { source: { name: basename(where.file), path: where.file }, line: where.line }),
        };
      } catch (error) {
        return { id: this.#nextId++, verified: false, message: messageOf(error), reason: 'failed' };
      }
    });
  }

  setData(requested: DebugProtocol.DataBreakpoint[]): DebugProtocol.Breakpoint[] {
    for (const watchpoint of this.#byWatchpoint.keys()) this.#sandbox.removeWatchpoint(watchpoint);
    this.#byWatchpoint.clear();
    return requested.map((wanted): DebugProtocol.Breakpoint => {
      const id = this.#nextId++;
      try {
        if (wanted.condition || wanted.hitCondition) {
          throw new Error('a data breakpoint stops at every access: conditions and hit counts are for source and function breakpoints');
        }
        const { address, length } = parseDataId(wanted.dataId);
        const watchpoint = this.#sandbox.addWatchpoint(address, length, watchKinds[wanted.accessType ?? 'write']);
        this.#byWatchpoint.set(watchpoint.id, id);
        return { id, verified: true, instructionReference: hex(address) };
      } catch (error) {
        return { id, verified: false, message: messageOf(error), reason: 'failed' };
      }
    });
  }

  /** The DAP breakpoint of an engine breakpoint that stopped the guest. */
  breakpoint(engineId: number): { id: number; kind: BreakpointKind } | undefined {
    return this.#byEngineId.get(engineId);
  }

  watchpoint(engineId: number): number | undefined {
    return this.#byWatchpoint.get(engineId);
  }

  #register(engineId: number, kind: BreakpointKind): number {
    const id = this.#nextId++;
    this.#byEngineId.set(engineId, { id, kind });
    return id;
  }

  #removeAll(engineIds: number[]): void {
    for (const engineId of engineIds) {
      this.#sandbox.removeBreakpoint(engineId);
      this.#byEngineId.delete(engineId);
    }
  }
}
