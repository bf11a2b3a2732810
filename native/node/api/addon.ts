// The native addon's surface, typed, and checked at load against what the addon declares
// of itself. Only sandbox.ts and debug.ts talk to it.
import { createRequire } from 'node:module';

import type {
  Breakpoint,
  BreakpointOptions,
  Frame,
  Instruction,
  NativeScopes,
  NativeStop,
  ResolvedLine,
  SourceFile,
  Variable,
  Watchpoint,
  WatchKind,
} from './debug.js';
import { makeError } from './errors.js';
import type { Coverage } from './coverage.js';
import type { NativeCpuProfile } from './cpu_profile/types.js';
import type { LastWrite, RecordingInfo, RecordingOptions, ReverseHow } from './time_travel.js';
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
  trace(index: number, args: ArgumentValue[]): Promise<CallTrace>;
  startCpuProfile(kind: 'exact' | 'sampled', rateHz: number): void;
  stopCpuProfile(): Promise<NativeCpuProfile>;
  coverage(index: number, calls: ArgumentValue[][]): Promise<Coverage>;
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
}

/** A sandbox's debugger (engine/addon/debugger_object.h), made over its NativeSandbox. */
export interface NativeDebugger {
  start(index: number, args: ArgumentValue[], options?: { record?: boolean | RecordingOptions }): Promise<NativeStop>;
  resume(how: 'continue' | 'step' | 'over' | 'out' | 'to', target?: bigint): Promise<NativeStop>;
  restart(): Promise<NativeStop>;
  reverse(how: ReverseHow): Promise<NativeStop>;
  goTo(position: number): Promise<NativeStop>;
  lastWrite(address: bigint, length: number): Promise<LastWrite>;
  lastRegisterWrite(name: string): Promise<LastWrite>;
  recording(): RecordingInfo | null;
  pause(): void;
  end(): void;
  readonly active: boolean;
  addBreakpoint(addresses: bigint[], options: BreakpointOptions): number;
  removeBreakpoint(id: number): void;
  enableBreakpoint(id: number, enabled: boolean): void;
  breakpoints(): Breakpoint[];
  addWatchpoint(address: bigint, length: number, kind: WatchKind): number;
  removeWatchpoint(id: number): void;
  enableWatchpoint(id: number, enabled: boolean): void;
  watchpoints(): Watchpoint[];
  disassemble(address: bigint, count: number): Instruction[];
  backtrace(): Frame[];
  scopes(frame: number): NativeScopes;
  evaluate(expression: string, frame: number): Variable;
  children(expression: string, frame: number, start: number, count: number): Variable[];
  setVariable(expression: string, value: string, frame: number): Variable;
  sourceLine(address: bigint): { file: string; line: number } | null;
  resolveLine(file: string, line: number): ResolvedLine;
  sourceFiles(): SourceFile[];
  symbolAddress(name: string): bigint | undefined;
  symbolize(address: bigint): string;
}

/** What the addon declares of each class: a method's arity, or -1 for an accessor. */
export type SurfaceOf<T> = {
  readonly [K in keyof T]-?: T[K] extends (...args: infer A) => unknown
    ? number extends Required<A>['length']
      ? number // a rest parameter: at least the fixed ones, checked by hand
      : Required<A>['length']
    : -1;
};

/**
 * The surfaces the TypeScript side expects, one entry per member of the interfaces above
 * with its arity (the compiler checks both against the interfaces). Checked at load against
 * the `surface` each native class declares (engine/addon/wrapped_class.h).
 */
export const expectedSurfaces = {
  NativeSandbox: {
    backend: -1,
    backendReason: -1,
    busy: -1,
    functions: 0,
    layout: 0,
    init: 0,
    call: 2,
    invoke: 3,
    measure: 4,
    trace: 2,
    startCpuProfile: 2,
    stopCpuProfile: 0,
    coverage: 2,
    cancel: 0,
    snapshot: 0,
    restore: 1,
    dropSnapshot: 1,
    dirtyPages: 0,
    compareSnapshots: 2,
    readMemory: 2,
    readSnapshot: 3,
    writeMemory: 2,
    registers: 0,
    setRegisters: 1,
    dispose: 0,
  } satisfies SurfaceOf<NativeSandbox>,
  NativeDebugger: {
    start: 3,
    resume: 2,
    restart: 0,
    reverse: 1,
    goTo: 1,
    lastWrite: 2,
    lastRegisterWrite: 1,
    recording: 0,
    pause: 0,
    end: 0,
    active: -1,
    addBreakpoint: 2,
    removeBreakpoint: 1,
    enableBreakpoint: 2,
    breakpoints: 0,
    addWatchpoint: 3,
    removeWatchpoint: 1,
    enableWatchpoint: 2,
    watchpoints: 0,
    disassemble: 2,
    backtrace: 0,
    scopes: 1,
    evaluate: 2,
    children: 4,
    setVariable: 3,
    sourceLine: 1,
    resolveLine: 2,
    sourceFiles: 0,
    symbolAddress: 1,
    symbolize: 1,
  } satisfies SurfaceOf<NativeDebugger>,
} as const;

/** The guest ABI this library speaks (include/microscope/abi.h, MS_ABI_VERSION). */
export const abiVersion = 1;

interface NativeClass<T> {
  readonly surface: readonly { name: string; arity: number }[];
  prototype: T;
}

interface Addon {
  NativeSandbox: NativeClass<NativeSandbox> & (new (elf: Uint8Array, options: NativeOptions, hostFunctions: NativeHostFunction[]) => NativeSandbox);
  NativeDebugger: NativeClass<NativeDebugger> & (new (sandbox: NativeSandbox) => NativeDebugger);
  inspect(elf: Uint8Array): GuestInfo;
  setErrorFactory(factory: typeof makeError): void;
  abiVersion: number;
  /** The benchmark's floors for its JS cases (native/node/bench/main.ts). */
  benchFloors: {
    resolved(a: bigint, b: bigint): Promise<bigint>;
    callback(fn: (i: number) => bigint, count: number): bigint;
  };
}

/** What differs between the native classes' surfaces and the ones expected: "" when nothing. */
export function surfaceMismatch(loaded: Pick<Addon, 'NativeSandbox' | 'NativeDebugger'>): string {
  const problems: string[] = [];
  for (const [name, expected] of Object.entries(expectedSurfaces) as [keyof typeof expectedSurfaces, Record<string, number>][]) {
    const native = new Map((loaded[name]?.surface ?? []).map((entry) => [entry.name, entry.arity]));
    for (const [member, arity] of Object.entries(expected)) {
      if (!native.has(member)) problems.push(`${name}.${member} is missing`);
      else if (native.get(member) !== arity) problems.push(`${name}.${member} takes ${native.get(member)} arguments, not ${arity}`);
    }
    for (const member of native.keys()) if (!(member in expected)) problems.push(`${name}.${member} is not declared in addon.ts`);
  }
  return problems.join('; ');
}

/**
 * Why an addon can't serve this library, or "": one built from other sources (an old build
 * left in place) says so at load, not with an undefined at the first call.
 */
export function addonProblem(loaded: Pick<Addon, 'abiVersion' | 'NativeSandbox' | 'NativeDebugger'>): string {
  if (loaded.abiVersion !== abiVersion) return `speaks guest ABI ${loaded.abiVersion}, this library ${abiVersion}`;
  const mismatch = surfaceMismatch(loaded);
  return mismatch ? `doesn't match this library (${mismatch})` : '';
}

function load(): Addon {
  let loaded: Addon;
  try {
    loaded = createRequire(import.meta.url)(addonPath) as Addon;
  } catch (error) {
    throw new Error(`microscope: the native addon can't be loaded from ${addonPath} (${(error as Error).message}); ` + 'run `npm run setup` to build it', {
      cause: error,
    });
  }
  const problem = addonProblem(loaded);
  if (problem) throw new Error(`microscope: the native addon at ${addonPath} ${problem}; rebuild it with \`npm run build\``);
  return loaded;
}

export const addon = load();
addon.setErrorFactory(makeError);
