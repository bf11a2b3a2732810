// The types of the Node API (see sandbox.ts). Values cross the guest boundary as:
// i32/u32/f64 number, i64/u64 bigint, bool boolean, str string, bytes Uint8Array,
// void undefined.

export type ValueType = 'i32' | 'u32' | 'i64' | 'u64' | 'f64' | 'bool' | 'str' | 'bytes';
export type ReturnType = ValueType | 'void';
export const valueTypes: readonly ValueType[] = ['i32', 'u32', 'i64', 'u64', 'f64', 'bool', 'str', 'bytes'];

export type GuestValue = number | bigint | boolean | string | Uint8Array | undefined;
/** What an argument of each type accepts from JS. */
export type ArgumentValue = number | bigint | boolean | string | Uint8Array;

export interface Parameter {
  name: string;
  type: ValueType;
}

export interface FunctionInfo {
  name: string;
  params: Parameter[];
  returns: ReturnType;
}

export type Backend = 'auto' | 'emulated' | 'kvm';

export interface HostFunction {
  params?: ValueType[];
  returns?: ReturnType;
  /** Called with the guest's arguments; may return a promise. A throw ends the call with a HostFunctionError. */
  fn: (...args: never[]) => unknown;
}

export interface SandboxOptions {
  /** Bytes of guest memory: a multiple of 2 MiB from 2 MiB to 3 GiB. Default 16 MiB; what a guest doesn't touch costs nothing. */
  memorySize?: number;
  /** Bytes of guest stack, a multiple of 4 KiB. Default 256 KiB. */
  stackSize?: number;
  /** Bytes in each of the input and output buffers. Default 64 KiB. */
  ioBufferSize?: number;
  backend?: Backend;
  /** Default per-call timeout; none when 0 or absent. */
  timeoutMs?: number;
  /** Bytes of printed output kept per call. Default 1 MiB. */
  outputLimit?: number;
  /** The control block's seed; random when absent. */
  seed?: number | bigint;
  /** Calls restore the last snapshot before they run (default true); invoke() can say otherwise per call. */
  restore?: boolean;
  hostFunctions?: Record<string, HostFunction>;
}

export interface CallOptions {
  /** Restore the last snapshot before running (default true). */
  restore?: boolean;
  timeoutMs?: number;
}

export interface Timings {
  createNs?: number;
  restoreNs: number;
  /** Pages the restore before the call copied back: the pages written since. */
  restoredPages: number;
  runNs: number;
  hostNs: number;
  totalNs: number;
}

export interface CallReport {
  value: GuestValue;
  type: ReturnType;
  output: string;
  outputTruncated: boolean;
  backend: string;
  timings: Timings;
}

export type MeasureMode = 'warm' | 'restore' | 'cold';

export interface Measurement {
  iterations: number;
  totalNs: Float64Array;
  createNs: Float64Array;
  restoreNs: Float64Array;
  runNs: Float64Array;
  hostNs: Float64Array;
}

/** A page where two states of guest memory differ, and the runs of bytes that do. */
export interface SnapshotDifference {
  page: number;
  ranges: { address: number; length: number }[];
}

export interface Region {
  name: string;
  begin: number;
  end: number;
  access: string;
}

export interface Layout {
  memorySize: number;
  loadBias: number;
  inputBuffer: number;
  outputBuffer: number;
  ioBufferSize: number;
  heapBegin: number;
  heapEnd: number;
  stackBase: number;
  stackTop: number;
  regions: Region[];
}

export interface GuestInfo {
  functions: FunctionInfo[];
  entry: number;
  positionIndependent: boolean;
}

export interface SegmentState {
  selector: number;
  base: bigint;
  limit: number;
}

export interface DescriptorTableState {
  base: bigint;
  limit: number;
}

/** RFLAGS, flag by flag. */
export interface FlagsState {
  cf: boolean;
  pf: boolean;
  af: boolean;
  zf: boolean;
  sf: boolean;
  tf: boolean;
  if: boolean;
  df: boolean;
  of: boolean;
  /** I/O privilege level, 0-3. */
  iopl: number;
}

/** The vCPU's registers, as the addon gives them. */
export interface NativeRegisterState {
  rax: bigint;
  rbx: bigint;
  rcx: bigint;
  rdx: bigint;
  rsi: bigint;
  rdi: bigint;
  rbp: bigint;
  rsp: bigint;
  r8: bigint;
  r9: bigint;
  r10: bigint;
  r11: bigint;
  r12: bigint;
  r13: bigint;
  r14: bigint;
  r15: bigint;
  rip: bigint;
  rflags: bigint;
  cr0: bigint;
  cr2: bigint;
  cr3: bigint;
  cr4: bigint;
  efer: bigint;
  cs: SegmentState;
  ds: SegmentState;
  es: SegmentState;
  fs: SegmentState;
  gs: SegmentState;
  ss: SegmentState;
  tr: SegmentState;
  gdt: DescriptorTableState;
  idt: DescriptorTableState;
  /** 128-bit, the low lane in the low bits. */
  xmm0: bigint;
  xmm1: bigint;
  xmm2: bigint;
  xmm3: bigint;
  xmm4: bigint;
  xmm5: bigint;
  xmm6: bigint;
  xmm7: bigint;
  xmm8: bigint;
  xmm9: bigint;
  xmm10: bigint;
  xmm11: bigint;
  xmm12: bigint;
  xmm13: bigint;
  xmm14: bigint;
  xmm15: bigint;
  mxcsr: number;
}

/** The vCPU's registers, with RFLAGS decoded. */
export interface RegisterState extends NativeRegisterState {
  flags: FlagsState;
}

type Changes<T> = {
  [K in keyof T]?: T[K] extends bigint ? bigint | number : T[K] extends number ? number : Partial<Changes<T[K]>>;
};
/** Registers to change; an XMM register also takes 16 bytes. */
export type RegisterChanges = Omit<Changes<NativeRegisterState>, `xmm${number}`> & {
  [K in `xmm${number}`]?: bigint | Uint8Array;
};
