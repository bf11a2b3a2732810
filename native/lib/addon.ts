// The native addon's surface, typed. Only sandbox.ts talks to it.
import { createRequire } from 'node:module';

import { makeError } from './errors.js';
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
  RegisterChanges,
  RegisterState,
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
  readMemory(address: number | bigint, length: number): Uint8Array;
  writeMemory(address: number | bigint, bytes: Uint8Array): void;
  registers(): RegisterState;
  setRegisters(changes: RegisterChanges): void;
  dispose(): void;
}

interface Addon {
  NativeSandbox: new (elf: Uint8Array, options: NativeOptions, hostFunctions: NativeHostFunction[]) => NativeSandbox;
  inspect(elf: Uint8Array): GuestInfo;
  setErrorFactory(factory: typeof makeError): void;
  abiVersion: number;
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
