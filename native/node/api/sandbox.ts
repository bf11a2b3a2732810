// The Node API: a Sandbox is one micro-VM running one guest.
//
//   const sandbox = await Sandbox.create('guest.elf', { hostFunctions: { ... } });
//   await sandbox.call('add', 1n, 2n);   // 3n
//   sandbox.dispose();
//
// Calls run off the JS thread as soon as they take longer than a millisecond, so timers
// keep firing while a guest spins; each ends in a value or one of the errors in errors.ts.
import { readFileSync } from 'node:fs';

import { addon, type NativeDebugger, type NativeHostFunction, type NativeSandbox } from './addon.js';
import {
  type Breakpoint,
  type BreakpointOptions,
  DebugSession,
  type Frame,
  type Instruction,
  type Location,
  type ResolvedLine,
  sourceLineOf,
  resolveLocation,
  type Scope,
  type SourceFile,
  stopFromNative,
  type Variable,
  type Watchpoint,
  type WatchKind,
  withFlags,
} from './debug.js';
import { UsageError } from './errors.js';
import type { Coverage } from './coverage.js';
import type { NativeCpuProfile } from './cpu_profile/types.js';
import type { RecordingOptions } from './time_travel.js';
import type { CallTrace } from './trace.js';
import type {
  ArgumentValue,
  Backend,
  CallOptions,
  CallReport,
  FunctionInfo,
  GuestInfo,
  GuestValue,
  Layout,
  Measurement,
  MeasureMode,
  RegisterChanges,
  RegisterState,
  SandboxOptions,
  SnapshotDifference,
} from './types.js';

/** A saved state of a sandbox: guest memory and vCPU. */
export class Snapshot {
  constructor(
    readonly sandbox: Sandbox,
    readonly id: number,
  ) {}
}

/** The backend when none is asked for: $MICROSCOPE_BACKEND, or "auto". */
export function defaultBackend(): Backend {
  return (process.env.MICROSCOPE_BACKEND as Backend | undefined) || 'auto';
}

function readGuest(guest: string | Uint8Array): Uint8Array {
  return typeof guest === 'string' ? readFileSync(guest) : guest;
}

function usage(message: string): UsageError {
  return new UsageError({ kind: 'usage', message });
}

export class Sandbox {
  readonly functions: readonly FunctionInfo[];
  readonly #native: NativeSandbox;
  #nativeDebugger: NativeDebugger | undefined;
  readonly #indexes = new Map<string, number>();
  // Where each line breakpoint resolved to: the line asked for, or the next with code.
  readonly #breakpointLines = new Map<number, { file: string; line: number }>();

  private constructor(native: NativeSandbox) {
    this.#native = native;
    this.functions = native.functions();
    this.functions.forEach((fn, index) => this.#indexes.set(fn.name, index));
  }

  /** Loads a guest (a path or the ELF's bytes), runs its init and takes the first snapshot. */
  static async create(guest: string | Uint8Array, options: SandboxOptions = {}): Promise<Sandbox> {
    const { hostFunctions = {}, ...engineOptions } = options;
    engineOptions.backend ??= defaultBackend();
    const definitions: NativeHostFunction[] = Object.entries(hostFunctions).map(([name, definition]) => ({
      name,
      params: definition.params ?? [],
      returns: definition.returns ?? 'void',
      fn: definition.fn,
    }));
    const native = new addon.NativeSandbox(readGuest(guest), engineOptions, definitions);
    try {
      await native.init();
    } catch (error) {
      native.dispose();
      throw error;
    }
    return new Sandbox(native);
  }

  /** A guest's exported functions, read from the file without running it. */
  static inspect(guest: string | Uint8Array): GuestInfo {
    return addon.inspect(readGuest(guest));
  }

  /** "emulated" or "kvm". */
  get backend(): string {
    return this.#native.backend;
  }

  /** Why this backend runs (for "auto"). */
  get backendReason(): string {
    return this.#native.backendReason;
  }

  get busy(): boolean {
    return this.#native.busy;
  }

  function(name: string): FunctionInfo {
    const index = this.#indexes.get(name);
    if (index === undefined) throw usage(`the guest exports no function '${name}'`);
    return this.functions[index]!;
  }

  #index(name: string): number {
    const index = this.#indexes.get(name);
    if (index === undefined) {
      throw usage(`the guest exports no function '${name}' (it has ${this.functions.map((f) => f.name).join(', ')})`);
    }
    return index;
  }

  /** Calls `name` after restoring the last snapshot; resolves to its result. */
  call(name: string, ...args: ArgumentValue[]): Promise<GuestValue> {
    try {
      return this.#native.call(this.#index(name), ...args);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Calls `name` and resolves to everything about the call: value, output, timings, backend. */
  invoke(name: string, args: ArgumentValue[] = [], options: CallOptions = {}): Promise<CallReport> {
    try {
      return this.#native.invoke(this.#index(name), args, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Runs `name` `iterations` times in a native loop and resolves to each call's timings. */
  measure(name: string, args: ArgumentValue[], options: { mode?: MeasureMode; iterations: number }): Promise<Measurement> {
    try {
      return this.#native.measure(this.#index(name), args, options.mode ?? 'restore', options.iterations);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Ends the call under way (from any callback or timer) with a Cancelled error. */
  cancel(): void {
    this.#native.cancel();
  }

  /** Saves guest memory and the vCPU; calls restore this snapshot from now on. */
  snapshot(): Snapshot {
    return new Snapshot(this, this.#native.snapshot());
  }

  restore(snapshot: Snapshot): void {
    if (snapshot.sandbox !== this) throw usage('the snapshot belongs to another sandbox');
    this.#native.restore(snapshot.id);
  }

  dropSnapshot(snapshot: Snapshot): void {
    if (snapshot.sandbox !== this) throw usage('the snapshot belongs to another sandbox');
    this.#native.dropSnapshot(snapshot.id);
  }

  /** Where snapshot `a` differs from snapshot `b`, or from guest memory now: pages and byte ranges. */
  compare(a: Snapshot, b?: Snapshot): SnapshotDifference[] {
    for (const snapshot of [a, b]) {
      if (snapshot && snapshot.sandbox !== this) throw usage('the snapshot belongs to another sandbox');
    }
    return this.#native.compareSnapshots(a.id, b?.id);
  }

  /** `length` bytes at `address` as `snapshot` holds them. */
  readSnapshot(snapshot: Snapshot, address: number | bigint, length: number): Uint8Array {
    if (snapshot.sandbox !== this) throw usage('the snapshot belongs to another sandbox');
    return this.#native.readSnapshot(snapshot.id, address, length);
  }

  /** Guest addresses of the pages written since the last snapshot was taken or restored. */
  dirtyPages(): number[] {
    return this.#native.dirtyPages();
  }

  layout(): Layout {
    return this.#native.layout();
  }

  readMemory(address: number | bigint, length: number): Uint8Array {
    return this.#native.readMemory(address, length);
  }

  writeMemory(address: number | bigint, bytes: Uint8Array): void {
    this.#native.writeMemory(address, bytes);
  }

  /** The vCPU's registers, as the last call, restore or debugger stop left them. */
  registers(): RegisterState {
    return withFlags(this.#native.registers());
  }

  /** Changes the registers named. A call sets its own entry registers; a restore puts the snapshot's back. */
  setRegisters(changes: RegisterChanges): void {
    this.#native.setRegisters(changes);
  }

  // ---- Debugging (debug.ts), through the sandbox's debugger, made on first use ----

  get #debugger(): NativeDebugger {
    this.#nativeDebugger ??= new addon.NativeDebugger(this.#native);
    return this.#nativeDebugger;
  }

  /**
   * Calls `name` under the debugger: resolves once the call is paused at its function's entry.
   * With `record`, the call is recorded as it runs, to step and run it backwards (time_travel.ts);
   * the emulated backend only.
   */
  async debug(name: string, args: ArgumentValue[] = [], options: { record?: boolean | RecordingOptions } = {}): Promise<DebugSession> {
    const first = await this.#debugger.start(this.#index(name), args, options);
    return new DebugSession(this.#debugger, stopFromNative(first));
  }

  /**
   * A breakpoint at a location (an address, a symbol, or file:line — every address of the
   * line, or of the next line with code), stopping when `condition` holds ("n == 2", "rax == 3").
   */
  addBreakpoint(location: Location, options: BreakpointOptions & { enabled?: boolean } = {}): Breakpoint {
    const { enabled, ...rest } = options;
    const line = sourceLineOf(location);
    const resolved = line ? this.#debugger.resolveLine(line.file, line.line) : undefined;
    const addresses = resolved ? resolved.addresses : [resolveLocation(this.#debugger, location)];
    const id = this.#debugger.addBreakpoint(addresses, rest);
    if (resolved) this.#breakpointLines.set(id, { file: resolved.file, line: resolved.line });
    if (enabled === false) this.#debugger.enableBreakpoint(id, false);
    return this.breakpoints().find((b) => b.id === id)!;
  }

  removeBreakpoint(id: number): void {
    this.#debugger.removeBreakpoint(id);
    this.#breakpointLines.delete(id);
  }

  enableBreakpoint(id: number, enabled: boolean): void {
    this.#debugger.enableBreakpoint(id, enabled);
  }

  breakpoints(): Breakpoint[] {
    // A line breakpoint is on the line it resolved to; any other on its address's line.
    return this.#debugger.breakpoints().map((b) => {
      const line = this.#breakpointLines.get(b.id) ?? this.#debugger.sourceLine(b.address);
      return line ? { ...b, ...line } : b;
    });
  }

  /** Stops a debugged call after an instruction reads, writes or accesses `length` bytes at `location`. */
  addWatchpoint(location: Location, length: number, kind: WatchKind = 'write'): Watchpoint {
    const id = this.#debugger.addWatchpoint(resolveLocation(this.#debugger, location), length, kind);
    return this.watchpoints().find((w) => w.id === id)!;
  }

  removeWatchpoint(id: number): void {
    this.#debugger.removeWatchpoint(id);
  }

  enableWatchpoint(id: number, enabled: boolean): void {
    this.#debugger.enableWatchpoint(id, enabled);
  }

  watchpoints(): Watchpoint[] {
    return this.#debugger.watchpoints();
  }

  /** `count` instructions from `location`, Intel syntax, with symbols and source lines. */
  disassemble(location: Location, count: number): Instruction[] {
    return this.#debugger.disassemble(resolveLocation(this.#debugger, location), count);
  }

  /** The guest's stack frames, the running one first (DWARF call frame information, or frame pointers). */
  backtrace(): Frame[] {
    return this.#debugger.backtrace();
  }

  /** The variables of a paused call's frame (0: the running one, as in backtrace()), by scope. */
  scopes(frame = 0): Scope[] {
    const scopes = this.#debugger.scopes(frame);
    return [
      { name: 'Arguments', variables: scopes.arguments },
      { name: 'Locals', variables: scopes.locals },
      { name: 'Globals', variables: scopes.globals },
    ];
  }

  /** A C expression's value in a frame of the paused call ("n", "p->next->value", "rax == 3", "(char)n"). */
  evaluate(expression: string, frame = 0): Variable {
    return this.#debugger.evaluate(expression, frame);
  }

  /** The members, elements (from `start`, at most `count`) or pointee of an expression's value. */
  children(expression: string, frame = 0, start = 0, count = 1000): Variable[] {
    return this.#debugger.children(expression, frame, start, count);
  }

  /** Sets what `expression` names (a variable, a member, *p, a register) to a C expression's value; its new value. */
  setVariable(expression: string, value: string, frame = 0): Variable {
    return this.#debugger.setVariable(expression, value, frame);
  }

  /** The source line of the code at an address, when the guest has a line table. */
  sourceLine(address: bigint | number): { file: string; line: number } | null {
    return this.#debugger.sourceLine(BigInt(address));
  }

  /** A source line for a breakpoint: `line` of `file` ("demo.c", or more of its path), or the next line with code. */
  resolveLine(file: string, line: number): ResolvedLine {
    return this.#debugger.resolveLine(file, line);
  }

  /** The source files of the guest's line tables, each with the lines where a statement starts. */
  sourceFiles(): SourceFile[] {
    return this.#debugger.sourceFiles();
  }

  /** The address a location names (see Location). */
  resolve(location: Location): bigint {
    return resolveLocation(this.#debugger, location);
  }

  /** "fib+0x1c", or the region's name where no function covers the address. */
  symbolize(address: bigint | number): string {
    return this.#debugger.symbolize(BigInt(address));
  }

  /**
   * Calls `name` once (restoring the last snapshot first) and records every guest function
   * entered and left, every host call and every exit, timed and nested. Resolves whether
   * or not the call succeeds: the trace says how it ended. toChromeTrace() exports it.
   */
  trace(name: string, args: ArgumentValue[] = []): Promise<CallTrace> {
    try {
      return this.#native.trace(this.#index(name), args);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Profiles the calls that follow until stopCpuProfile(): exact (every instruction counted;
   * the emulated backend) or sampled at `rateHz` (any backend). cpuProfile() in
   * cpu_profile/record.ts profiles a loop of calls with progress and cancel.
   */
  startCpuProfile(kind: 'exact' | 'sampled', rateHz = 1000): void {
    this.#native.startCpuProfile(kind, rateHz);
  }

  stopCpuProfile(): Promise<NativeCpuProfile> {
    try {
      return this.#native.stopCpuProfile();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Runs `name` once for each argument list in `calls` and says which lines and
   * instructions they ran: counted on the emulated backend, hit or not on KVM (one-shot
   * breakpoints). A call that fails is listed in `failures`; the others go on.
   */
  coverage(name: string, calls: ArgumentValue[][]): Promise<Coverage> {
    try {
      return this.#native.coverage(this.#index(name), calls);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Frees the micro-VM; a call under way is cancelled first. */
  dispose(): void {
    this.#native.dispose();
  }
}
