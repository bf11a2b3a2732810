// The Node API: a Sandbox is one micro-VM running one guest.
//
//   const sandbox = await Sandbox.create('guest.elf', { hostFunctions: { ... } });
//   await sandbox.call('add', 1n, 2n);   // 3n
//   sandbox.dispose();
//
// Calls run off the JS thread as soon as they take longer than a millisecond, so timers
// keep firing while a guest spins; each ends in a value or one of the errors in errors.ts.
import { readFileSync } from 'node:fs';

import { addon, type NativeHostFunction, type NativeSandbox } from './addon.js';
import { UsageError } from './errors.js';
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
  readonly #indexes = new Map<string, number>();

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
  measure(
    name: string,
    args: ArgumentValue[],
    options: { mode?: MeasureMode; iterations: number },
  ): Promise<Measurement> {
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

  /** The vCPU's registers, as the last call or restore left them. */
  registers(): RegisterState {
    return this.#native.registers();
  }

  /** Changes the registers named. A call sets its own entry registers; a restore puts the snapshot's back. */
  setRegisters(changes: RegisterChanges): void {
    this.#native.setRegisters(changes);
  }

  /** Frees the micro-VM; a call under way is cancelled first. */
  dispose(): void {
    this.#native.dispose();
  }
}
