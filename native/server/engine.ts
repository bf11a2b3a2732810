// The engine's side of the inspector's protocol (native/protocol/messages.ts): one loaded
// guest, its sandbox and the call being debugged, serving checked requests. It runs in
// its own process (engine_process.ts), so that a runaway guest or a crash in native code
// never takes the window with it.
import { readFileSync } from 'node:fs';

import type { DebugSession, Stop } from '../lib/debug.js';
import { GuestFault, MicroscopeError, UsageError } from '../lib/errors.js';
import { demoGuestPath } from '../lib/paths.js';
import { Sandbox } from '../lib/sandbox.js';
import type { Backend, RegisterState } from '../lib/types.js';
import { formatValue, parseArguments } from '../lib/value_text.js';
import type {
  CallResult,
  GuestInfo,
  Method,
  Params,
  Request,
  Results,
  WireBreakpoint,
  WireError,
  WireRegisters,
  WireStop,
} from '../protocol/messages.js';

const hex = (value: bigint | number) => `0x${value.toString(16)}`;

function usage(message: string): UsageError {
  return new UsageError({ kind: 'usage', message });
}

export function wireError(error: unknown): WireError {
  if (!(error instanceof MicroscopeError)) return { kind: 'internal', message: (error as Error)?.message ?? String(error) };
  const wire: WireError = { kind: error.kind, message: error.message };
  if (error instanceof GuestFault) {
    wire.vector = error.vector;
    wire.rip = hex(error.rip);
    wire.symbol = error.symbol;
    if (error.cr2 !== undefined) wire.cr2 = hex(error.cr2);
  }
  return wire;
}

function wireRegisters(registers: RegisterState): WireRegisters {
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

export class Engine {
  #sandbox: Sandbox | undefined;
  #path = '';
  #session: DebugSession | undefined;
  /** Breakpoint locations as the user gave them, by id. */
  readonly #locations = new Map<number, string>();

  async handle<M extends Method>(request: Request<M>): Promise<Results[M]> {
    const handler = this.#handlers[request.method] as (params: Params<M>) => Results[M] | Promise<Results[M]>;
    return handler(request.params);
  }

  /** What the engine holds, for the process that hosts it to free. */
  dispose(): void {
    this.#sandbox?.dispose();
    this.#sandbox = undefined;
  }

  get #box(): Sandbox {
    if (!this.#sandbox) throw usage('no guest is loaded');
    return this.#sandbox;
  }

  get #debugging(): DebugSession {
    if (!this.#session?.active) throw usage('no call is being debugged');
    return this.#session;
  }

  #info(): GuestInfo {
    const box = this.#box;
    const layout = box.layout();
    return {
      path: this.#path,
      functions: box.functions.map((fn) => ({ name: fn.name, params: fn.params, returns: fn.returns })),
      backend: box.backend,
      backendReason: box.backendReason,
      memorySize: hex(layout.memorySize),
      regions: layout.regions.map((r) => ({ name: r.name, begin: hex(r.begin), end: hex(r.end), access: r.access })),
    };
  }

  #stop(stop: Stop): WireStop {
    const wire: WireStop = { reason: stop.reason, rip: hex(stop.rip), symbol: stop.symbol, registers: wireRegisters(stop.registers) };
    if (stop.file !== undefined) wire.file = stop.file;
    if (stop.line !== undefined) wire.line = stop.line;
    if (stop.breakpoint !== undefined) wire.breakpoint = stop.breakpoint;
    if (stop.reason === 'exit' && !stop.error) wire.value = formatValue(stop.value);
    if (stop.error) wire.error = wireError(stop.error);
    if (stop.output !== undefined) wire.output = stop.output;
    return wire;
  }

  #breakpoints(): WireBreakpoint[] {
    return this.#box.breakpoints().map((b) => ({
      id: b.id,
      location: this.#locations.get(b.id) ?? hex(b.address),
      address: hex(b.address),
      condition: b.condition,
      enabled: b.enabled,
      hits: b.hits,
    }));
  }

  #args(name: string, texts: string[]) {
    return parseArguments(this.#box.function(name), texts);
  }

  readonly #handlers: { [M in Method]: (params: Params<M>) => Results[M] | Promise<Results[M]> } = {
    'engine.restart': () => {
      throw usage('engine.restart is for the server around the engine process');
    },
    'guest.load': async ({ path, backend }) => {
      const file = path ?? demoGuestPath;
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(file);
      } catch (error) {
        throw usage(`can't read ${file}: ${(error as Error).message}`);
      }
      const sandbox = await Sandbox.create(bytes, { backend: (backend ?? undefined) as Backend | undefined });
      this.dispose();
      this.#sandbox = sandbox;
      this.#path = file;
      this.#session = undefined;
      this.#locations.clear();
      return this.#info();
    },
    'guest.info': () => (this.#sandbox ? this.#info() : null),
    'call.run': async ({ function: name, args }): Promise<CallResult> => {
      const box = this.#box;
      const type = box.function(name).returns;
      const started = process.hrtime.bigint();
      try {
        const report = await box.invoke(name, this.#args(name, args));
        return { ok: true, type, value: formatValue(report.value), output: report.output, durationNs: Number(process.hrtime.bigint() - started) };
      } catch (error) {
        if (!(error instanceof MicroscopeError) || error.kind === 'usage') throw error;
        return { ok: false, type, output: error.output ?? '', error: wireError(error), durationNs: Number(process.hrtime.bigint() - started) };
      }
    },
    'call.cancel': () => {
      this.#box.cancel();
      return null;
    },
    'debug.start': async ({ function: name, args }) => {
      this.#session = await this.#box.debug(name, this.#args(name, args));
      return this.#stop(this.#session.stop);
    },
    'debug.resume': async ({ how, target }) => {
      const session = this.#debugging;
      switch (how) {
        case 'continue': return this.#stop(await session.continue());
        case 'step': return this.#stop(await session.stepInstruction());
        case 'over': return this.#stop(await session.stepOver());
        case 'out': return this.#stop(await session.stepOut());
        case 'to':
          if (!target) throw usage('debug.resume to: a target is needed');
          return this.#stop(await session.runTo(target));
      }
    },
    'debug.restart': async () => this.#stop(await this.#debugging.restart()),
    'debug.pause': () => {
      this.#session?.pause();
      return null;
    },
    'debug.end': () => {
      if (this.#session?.active) this.#session.end();
      return null;
    },
    'breakpoint.add': ({ location, condition }) => {
      const breakpoint = this.#box.addBreakpoint(location, { condition: condition ?? '' });
      this.#locations.set(breakpoint.id, location);
      return this.#breakpoints().find((b) => b.id === breakpoint.id)!;
    },
    'breakpoint.remove': ({ id }) => {
      this.#box.removeBreakpoint(id);
      this.#locations.delete(id);
      return null;
    },
    'breakpoint.enable': ({ id, enabled }) => {
      this.#box.enableBreakpoint(id, enabled);
      return null;
    },
    'breakpoint.list': () => this.#breakpoints(),
    'registers.get': () => wireRegisters(this.#box.registers()),
    'registers.set': ({ name, value }) => {
      this.#box.setRegisters({ [name]: BigInt(value) });
      return wireRegisters(this.#box.registers());
    },
    'memory.read': ({ address, length }) => ({ bytes: Buffer.from(this.#box.readMemory(BigInt(address), length)).toString('hex') }),
    'memory.write': ({ address, bytes }) => {
      this.#box.writeMemory(BigInt(address), Buffer.from(bytes, 'hex'));
      return null;
    },
    'code.disassemble': ({ location, count }) =>
      this.#box.disassemble(location, count).map((i) => ({
        address: hex(i.address),
        bytes: Buffer.from(i.bytes).toString('hex'),
        mnemonic: i.mnemonic,
        operands: i.operands,
        symbol: i.symbol,
        ...(i.file !== undefined ? { file: i.file, line: i.line } : {}),
        ...(i.targetSymbol !== undefined ? { targetSymbol: i.targetSymbol } : {}),
      })),
    'stack.backtrace': () =>
      this.#box.backtrace().map((f) => ({
        rip: hex(f.rip),
        symbol: f.symbol,
        ...(f.file !== undefined ? { file: f.file, line: f.line } : {}),
      })),
  };
}
