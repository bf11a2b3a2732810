// The engine's side of the inspector's protocol (native/common/protocol/messages.ts): one loaded
// guest, its sandbox and the call being debugged, serving checked requests. It runs in
// its own process (engine_process.ts), so that a runaway guest or a crash in native code
// never takes the window with it.
import { readFileSync } from 'node:fs';

import type { DebugSession } from '../api/debug.js';
import { MicroscopeError, UsageError } from '../api/errors.js';
import { bundledGuests } from '../api/paths.js';
import { Sandbox } from '../api/sandbox.js';
import { readSource } from '../api/source_files.js';
import { toChromeTrace, type CallTrace } from '../api/trace.js';
import type { Backend } from '../api/types.js';
import { formatValue, parseArguments } from '../api/value_text.js';
import {
  type WireCallReport,
  type WireGuest,
  maxGuestBytes,
  type Method,
  type Params,
  type Request,
  type ProfileProgress,
  type Results,
  type WireBreakpoint,
  type WireWatchpoint,
} from '../../common/protocol/messages.js';
import { toLcov, type Coverage } from '../api/coverage.js';
import { CpuProfiles } from './cpu_profiles.js';
import { ProfileRuns } from './profile_runs.js';
import { SnapshotShelf } from './snapshot_shelf.js';
import { hex, wireError, wireLastWrite, wireRegisters, wireStop, wireCoverage, wireTrace, wireVariable } from './wire.js';

export { wireError } from './wire.js';

function usage(message: string): UsageError {
  return new UsageError({ kind: 'usage', message });
}

export class Engine {
  #sandbox: Sandbox | undefined;
  #path = '';
  #session: DebugSession | undefined;
  /** Breakpoint locations as the user gave them, by id. */
  readonly #locations = new Map<number, string>();
  #shelf: SnapshotShelf | undefined;
  #lastTrace: { trace: CallTrace; call: string } | undefined;
  #lastCoverage: { coverage: Coverage; name: string } | undefined;
  #elf: Uint8Array = new Uint8Array();
  readonly #profiles: ProfileRuns;
  readonly #cpuProfiles = new CpuProfiles();

  /** `emit`: events the engine sends unasked (a profile's progress). */
  constructor(emit: (event: ProfileProgress) => void = () => undefined) {
    this.#profiles = new ProfileRuns(emit, this.#cpuProfiles, () => (this.#path && !this.#path.startsWith('[') ? this.#path : undefined));
  }

  async handle<M extends Method>(request: Request<M>): Promise<Results[M]> {
    const handler = this.#handlers[request.method] as (params: Params<M>) => Results[M] | Promise<Results[M]>;
    return handler(request.params);
  }

  /** What the engine holds, for the process that hosts it to free. */
  dispose(): void {
    this.#sandbox?.dispose();
    this.#sandbox = undefined;
    this.#shelf = undefined;
  }

  get #box(): Sandbox {
    if (!this.#sandbox) throw usage('no guest is loaded');
    return this.#sandbox;
  }

  get #snapshots(): SnapshotShelf {
    if (!this.#shelf) throw usage('no guest is loaded');
    return this.#shelf;
  }

  /** The debugged call's session while it has a recording: running, or ended and still there to go back in. */
  get #recorded(): DebugSession {
    if (!this.#session?.recording) throw usage('no recorded call: start debugging with record on to go back');
    return this.#session;
  }

  get #debugging(): DebugSession {
    if (!this.#session?.active) throw usage('no call is being debugged');
    return this.#session;
  }

  #info(): WireGuest {
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

  #breakpoints(): WireBreakpoint[] {
    const box = this.#box;
    // A file:line breakpoint's line is the one it resolved to (the next with code); any other's its address's.
    return box.breakpoints().map((b) => ({
      id: b.id,
      location: this.#locations.get(b.id) ?? hex(b.address),
      address: hex(b.address),
      symbol: box.symbolize(b.address),
      ...(b.file !== undefined ? { file: b.file, line: b.line } : {}),
      condition: b.condition,
      hitCondition: b.hitCondition,
      logMessage: b.logMessage,
      enabled: b.enabled,
      hits: b.hits,
    }));
  }

  #watchpoints(): WireWatchpoint[] {
    return this.#box.watchpoints().map((w) => ({ id: w.id, address: hex(w.address), length: w.length, kind: w.kind, enabled: w.enabled, hits: w.hits }));
  }

  #guestBytes({ path, bytes, name, bundled }: Params<'guest.load'>): { file: string; elf: Uint8Array } {
    if (bytes !== undefined) {
      const elf = Buffer.from(bytes, 'base64');
      if (elf.length > maxGuestBytes) throw usage(`a guest sent as bytes is at most ${maxGuestBytes >> 20} MiB`);
      return { file: name ?? 'guest.elf', elf };
    }
    const file = path ?? bundledGuests[bundled ?? 'demo'];
    try {
      return { file, elf: readFileSync(file) };
    } catch (error) {
      throw usage(`can't read ${file}: ${(error as Error).message}`);
    }
  }

  #args(name: string, texts: string[]) {
    return parseArguments(this.#box.function(name), texts);
  }

  readonly #handlers: { [M in Method]: (params: Params<M>) => Results[M] | Promise<Results[M]> } = {
    'engine.restart': () => {
      throw usage('engine.restart is for the server around the engine process');
    },
    'guest.load': async (params) => {
      const { file, elf } = this.#guestBytes(params);
      const sandbox = await Sandbox.create(elf, { backend: (params.backend ?? undefined) as Backend | undefined });
      this.dispose();
      this.#sandbox = sandbox;
      this.#path = file;
      this.#elf = elf;
      this.#session = undefined;
      this.#locations.clear();
      this.#shelf = new SnapshotShelf(sandbox);
      this.#shelf.take('after init');
      this.#lastTrace = undefined;
      return this.#info();
    },
    'guest.info': () => (this.#sandbox ? this.#info() : null),
    'call.run': async ({ function: name, args }): Promise<WireCallReport> => {
      const box = this.#box;
      const type = box.function(name).returns;
      const started = process.hrtime.bigint();
      try {
        const report = await box.invoke(name, this.#args(name, args));
        return {
          ok: true,
          type,
          value: formatValue(report.value),
          output: report.output,
          outputTruncated: report.outputTruncated,
          durationNs: Number(process.hrtime.bigint() - started),
        };
      } catch (error) {
        if (!(error instanceof MicroscopeError) || error.kind === 'usage') throw error;
        return {
          ok: false,
          type,
          output: error.output ?? '',
          outputTruncated: error.outputTruncated,
          error: wireError(error),
          durationNs: Number(process.hrtime.bigint() - started),
        };
      }
    },
    'call.cancel': () => {
      this.#box.cancel();
      return null;
    },
    'debug.start': async ({ function: name, args, record }) => {
      this.#session = await this.#box.debug(name, this.#args(name, args), { record: record ?? false });
      return wireStop(this.#session.stop);
    },
    'debug.reverse': async ({ how }) => {
      const session = this.#recorded;
      switch (how) {
        case 'step':
          return wireStop(await session.stepBackInstruction());
        case 'over':
          return wireStop(await session.stepBackOver());
        case 'line-over':
          return wireStop(await session.stepBack());
        case 'line-into':
          return wireStop(await session.stepBackIn());
        case 'out':
          return wireStop(await session.stepBackOut());
        case 'continue':
          return wireStop(await session.reverseContinue());
      }
    },
    'debug.goTo': async ({ position }) => wireStop(await this.#recorded.goTo(position)),
    'debug.lastWrite': async ({ address, length, expression, frame, register }) => {
      const session = this.#recorded;
      if (register !== undefined) return wireLastWrite(await session.lastRegisterWrite(register));
      if (expression !== undefined) return wireLastWrite(await session.lastWriteOf(expression, frame ?? 0));
      return wireLastWrite(await session.lastWrite(BigInt(address!), length ?? 1));
    },
    'debug.recording': () => this.#session?.recording ?? null,
    'debug.resume': async ({ how, target }) => {
      const session = this.#debugging;
      switch (how) {
        case 'continue':
          return wireStop(await session.continue());
        case 'step':
          return wireStop(await session.stepInstruction());
        case 'over':
          return wireStop(await session.stepOver());
        case 'out':
          return wireStop(await session.stepOut());
        case 'line-over':
          return wireStop(await session.next());
        case 'line-into':
          return wireStop(await session.stepIn());
        case 'to':
          if (!target) throw usage('debug.resume to: a target is needed');
          return wireStop(await session.runTo(target));
      }
    },
    'debug.restart': async () => wireStop(await this.#debugging.restart()),
    'debug.pause': () => {
      this.#session?.pause();
      return null;
    },
    'debug.end': () => {
      if (this.#session?.active) this.#session.end();
      return null;
    },
    'breakpoint.add': ({ location, condition, hitCondition, logMessage }) => {
      const breakpoint = this.#box.addBreakpoint(location, { condition, hitCondition, logMessage });
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
    'watchpoint.add': ({ location, length, kind }) => {
      const watchpoint = this.#box.addWatchpoint(location, length, kind);
      return this.#watchpoints().find((w) => w.id === watchpoint.id)!;
    },
    'watchpoint.remove': ({ id }) => {
      this.#box.removeWatchpoint(id);
      return null;
    },
    'watchpoint.enable': ({ id, enabled }) => {
      this.#box.enableWatchpoint(id, enabled);
      return null;
    },
    'watchpoint.list': () => this.#watchpoints(),
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
    'source.files': () => this.#box.sourceFiles(),
    // Only the files the guest's line tables name: the protocol is no way to read others.
    'source.read': ({ file, pathMap }) => {
      if (!this.#box.sourceFiles().some((f) => f.file === file)) throw usage(`${file} is not a source file of this guest's line tables`);
      return readSource(file, pathMap);
    },
    'stack.backtrace': () =>
      this.#box.backtrace().map((f) => ({
        rip: hex(f.rip),
        rsp: hex(f.rsp),
        symbol: f.symbol,
        ...(f.file !== undefined ? { file: f.file, line: f.line } : {}),
        ...(f.function !== undefined ? { function: f.function } : {}),
        args: f.args,
      })),
    'variables.scopes': ({ frame }) => this.#box.scopes(frame).map((s) => ({ name: s.name, variables: s.variables.map(wireVariable) })),
    'variables.evaluate': ({ expression, frame }) => wireVariable(this.#box.evaluate(expression, frame)),
    'variables.children': ({ expression, frame, start, count }) => this.#box.children(expression, frame, start, count).map(wireVariable),
    'variables.set': ({ expression, value, frame }) => wireVariable(this.#box.setVariable(expression, value, frame)),
    'snapshot.take': ({ label }) => this.#snapshots.take(label),
    'snapshot.restore': ({ id }) => {
      this.#snapshots.restore(id);
      return null;
    },
    'snapshot.drop': ({ id }) => {
      this.#snapshots.drop(id);
      return null;
    },
    'snapshot.list': () => this.#snapshots.list(),
    'snapshot.compare': ({ a, b }) => this.#snapshots.compare(a, b),
    'trace.record': async ({ function: name, args }) => {
      const trace = await this.#box.trace(name, this.#args(name, args));
      const call = `${name}(${args.join(', ')})`;
      this.#lastTrace = { trace, call };
      return wireTrace(trace, call);
    },
    'trace.chrome': () => {
      if (!this.#lastTrace) throw usage('no trace has been recorded');
      const { trace, call } = this.#lastTrace;
      return { name: `${call.replace(/[^\w.-]+/g, '_')}.trace.json`, json: JSON.stringify(toChromeTrace(trace, call)) };
    },
    'profile.run': async (params) => this.#profiles.run(this.#box, this.#elf, this.#args(params.function, params.args), params),
    'profile.cancel': () => {
      this.#profiles.cancel();
      return null;
    },
    'profile.import': ({ json }) => this.#profiles.import(json),
    'profile.csv': ({ id }) => this.#profiles.csv(id),
    'coverage.run': async ({ function: name, calls }) => {
      const coverage = await this.#box.coverage(
        name,
        calls.map((texts) => this.#args(name, texts)),
      );
      const call = calls.length === 1 ? `${name}(${calls[0]!.join(', ')})` : `${name} × ${calls.length} calls`;
      this.#lastCoverage = { coverage, name };
      return wireCoverage(coverage, call, this.#box.backend);
    },
    'coverage.lcov': () => {
      if (!this.#lastCoverage) throw usage('no coverage has been recorded');
      const { coverage, name } = this.#lastCoverage;
      return { name: `${name.replace(/[^\w.-]+/g, '_')}.info`, lcov: toLcov(coverage, name) };
    },
    'cpuProfile.get': ({ id }) => this.#cpuProfiles.get(id),
    'cpuProfile.export': ({ id, format }) => this.#cpuProfiles.export(id, format),
    'cpuProfile.import': ({ json }) => this.#cpuProfiles.import(json),
  };
}
