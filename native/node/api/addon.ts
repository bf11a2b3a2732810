// The native addon's surface, typed. Only sandbox.ts talks to it.
import { createRequire } from 'node:module';

import type { Breakpoint, Frame, Instruction, NativeStop, Watchpoint, WatchKind } from './debug.js';
import { makeError } from './errors.js';
import type { CallTrace } from './trace.js';
import { addonPath } from './paths.js';
import type {
  ArgumentValue,
  CallReport,
  FunctionInfo,
  GuestInfo,
  GuestValue,
  Layout,
  Measurement,
  MeasureMode,
  NativeRegisterState,
  RegisterChanges,
  SnapshotDifference,
} from './types.js';

export interface NativeHostFunction {
  name: string;
  params: string[];
  returns: string;
  fn: (...args: never[]) => unknown;
}

export interface NativeOptions {
  memorySize?: number;
  stackSize?: number;
  ioBufferSize?: number;
  backend?: string;
  timeoutMs?: number;
  outputLimit?: number;
  seed?: number | bigint;
  restore?: boolean;
}

export interface NativeSandbox {
  readonly backend: string;
  readonly backendReason: string;
  readonly busy: boolean;
  functions(): FunctionInfo[];
  layout(): Layout;
  init(): Promise<void>;
  call(index: number, ...args: ArgumentValue[]): Promise<GuestValue>;
  invoke(index: number, args: ArgumentValue[], options: { restore?: boolean; timeoutMs?: number }): Promise<CallReport>;
  measure(index: number, args: ArgumentValue[], mode: MeasureMode, iterations: number): Promise<Measurement>;
  cancel(): void;
  snapshot(): number;
  restore(id: number): void;
  dropSnapshot(id: number): void;
  dirtyPages(): number[];
  compareSnapshots(a: number, b?: number): SnapshotDifference[];
  readMemory(address: number | bigint, length: number): Uint8Array;
  readSnapshot(id: number, address: number | bigint, length: number): Uint8Array;
  writeMemory(address: number | bigint, bytes: Uint8Array): void;
  registers(): NativeRegisterState;
  setRegisters(changes: RegisterChanges): void;
  dispose(): void;

  debugStart(index: number, args: ArgumentValue[]): Promise<NativeStop>;
  debugResume(how: 'continue' | 'step' | 'over' | 'out' | 'to', target?: bigint): Promise<NativeStop>;
  debugRestart(): Promise<NativeStop>;
  debugPause(): void;
  debugEnd(): void;
  readonly debugActive: boolean;
  addBreakpoint(address: bigint, condition: string): number;
  removeBreakpoint(id: number): void;
  enableBreakpoint(id: number, enabled: boolean): void;
  breakpoints(): Breakpoint[];
  addWatchpoint(address: bigint, length: number, kind: WatchKind): number;
  removeWatchpoint(id: number): void;
  enableWatchpoint(id: number, enabled: boolean): void;
  watchpoints(): Watchpoint[];
  disassemble(address: bigint, count: number): Instruction[];
  backtrace(): Frame[];
  sourceLine(address: bigint): { file: string; line: number } | null;
  lineAddresses(file: string, line: number): bigint[];
  symbolAddress(name: string): bigint | undefined;
  symbolize(address: bigint): string;
  trace(index: number, args: ArgumentValue[]): Promise<CallTrace>;
}

interface Addon {
  NativeSandbox: new (elf: Uint8Array, options: NativeOptions, hostFunctions: NativeHostFunction[]) => NativeSandbox;
  inspect(elf: Uint8Array): GuestInfo;
  setErrorFactory(factory: typeof makeError): void;
  abiVersion: number;
  /** The benchmark's floors for its JS cases (native/node/bench/main.ts). */
  benchFloors: {
    resolved(a: bigint, b: bigint): Promise<bigint>;
    callback(fn: (i: number) => bigint, count: number): bigint;
  };
}

function load(): Addon {
  try {
    return createRequire(import.meta.url)(addonPath) as Addon;
  } catch (error) {
    throw new Error(
      `microscope: the native addon can't be loaded from ${addonPath} (${(error as Error).message}); ` +
        'run `npm run setup` to build it',
    );
  }
}

export const addon = load();
addon.setErrorFactory(makeError);
