// The one definition of what crosses between the inspector's UI (renderer) and the engine
// process: requests, their results, and the events the engine sends on its own. Every
// message is checked against these schemas by the side that receives it (the engine on
// every request), so a bad message is a clear error, never a crash.
//
// JSON has no 64-bit integers: addresses, registers and 64-bit values travel as "0x..."
// hex strings; bytes as hex strings too.
import { z } from 'zod';

import type { LatencyBin, PercentilePoint } from '../../node/api/latency_histogram.js';
import type { Profile } from '../../node/api/profile.js';
import { maxGuestBytes, maxKeptRows, maxProfileIterations } from './limits.js';

export { maxDifferenceRuns, maxGuestBytes, maxKeptRows, maxProfileIterations, maxWireTraceEvents } from './limits.js';
export type { LatencyBin, PercentilePoint, Profile };

export const hex64 = z.string().regex(/^0x[0-9a-f]{1,32}$/i, 'a 0x-hex number');
/** Where code is: "0x...", a symbol ("fib", "fib+0x10") or a source line ("demo.c:14"). */
export const location = z.string().min(1).max(512);
export const hexBytes = z.string().regex(/^([0-9a-f]{2})*$/i, 'hex bytes');
const id = z.number().int().positive();
const call = { function: z.string().min(1).max(256), args: z.array(z.string().max(1 << 20)).max(16) };

const noParams = z.object({}).strict();

/** Each method's parameters. engine.restart is the server's: it starts a new engine process. */
export const requestSchemas = {
  'engine.restart': noParams,
  // A path on the engine's machine, or the ELF itself (base64) with its file name; neither: the demo.
  'guest.load': z
    .object({
      path: z.string().min(1).max(4096).optional(),
      bytes: z.string().max(Math.ceil(maxGuestBytes / 3) * 4).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64').optional(),
      name: z.string().min(1).max(255).optional(),
      backend: z.enum(['auto', 'emulated', 'kvm']).optional(),
    })
    .strict()
    .refine((p) => !(p.path !== undefined && p.bytes !== undefined), 'give a path or bytes, not both'),
  'guest.info': noParams,
  'call.run': z.object(call).strict(),
  'call.cancel': noParams,
  'debug.start': z.object(call).strict(),
  'debug.resume': z.object({ how: z.enum(['continue', 'step', 'over', 'out', 'to']), target: location.optional() }).strict(),
  'debug.restart': noParams,
  'debug.pause': noParams,
  'debug.end': noParams,
  'breakpoint.add': z.object({ location, condition: z.string().max(256).optional() }).strict(),
  'breakpoint.remove': z.object({ id }).strict(),
  'breakpoint.enable': z.object({ id, enabled: z.boolean() }).strict(),
  'breakpoint.list': noParams,
  'watchpoint.add': z.object({ location, length: z.number().int().min(1).max(1 << 20), kind: z.enum(['read', 'write', 'access']) }).strict(),
  'watchpoint.remove': z.object({ id }).strict(),
  'watchpoint.enable': z.object({ id, enabled: z.boolean() }).strict(),
  'watchpoint.list': noParams,
  'registers.get': noParams,
  'registers.set': z.object({ name: z.string().regex(/^[a-z0-9]+$/), value: hex64 }).strict(),
  'memory.read': z.object({ address: hex64, length: z.number().int().min(0).max(1 << 20) }).strict(),
  'memory.write': z.object({ address: hex64, bytes: hexBytes.max(2 << 20) }).strict(),
  'code.disassemble': z.object({ location, count: z.number().int().min(1).max(1000) }).strict(),
  'stack.backtrace': noParams,
  'snapshot.take': z.object({ label: z.string().max(100).optional() }).strict(),
  'snapshot.restore': z.object({ id }).strict(),
  'snapshot.drop': z.object({ id }).strict(),
  'snapshot.list': noParams,
  // b omitted: compare with guest memory now.
  'snapshot.compare': z.object({ a: id, b: id.optional() }).strict(),
  'trace.record': z.object(call).strict(),
  'trace.chrome': noParams,
  // One of iterations or durationMs; a backend other than the loaded sandbox's: a new sandbox of the guest on it.
  'profile.run': z
    .object({
      ...call,
      mode: z.enum(['warm', 'restore', 'cold']),
      iterations: z.number().int().min(1).max(maxProfileIterations).optional(),
      durationMs: z.number().int().min(1).max(3_600_000).optional(),
      warmup: z.number().int().min(0).max(1_000_000).optional(),
      backend: z.enum(['emulated', 'kvm']).optional(),
      keepRows: z.boolean().optional(),
    })
    .strict()
    .refine((p) => (p.iterations === undefined) !== (p.durationMs === undefined), 'give iterations or durationMs, one of them')
    .refine((p) => !p.keepRows || (p.iterations !== undefined && p.iterations <= maxKeptRows), `keepRows: at most ${maxKeptRows} iterations, counted`),
  'profile.cancel': noParams,
  // A profile saved by `microscope bench --out` or the Latency panel, perhaps on another machine.
  'profile.import': z.object({ json: z.string().min(2).max(64 << 20) }).strict(),
  'profile.csv': z.object({ id }).strict(),
} as const;

export type Method = keyof typeof requestSchemas;
export type Params<M extends Method> = z.infer<(typeof requestSchemas)[M]>;

export const requestSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string(),
  params: z.unknown(),
});

export interface Request<M extends Method = Method> {
  id: number;
  method: M;
  params: Params<M>;
}

// ---- Results ----

export interface WireError {
  kind: string;
  message: string;
  /** GuestFault: '#PF'... */
  vector?: string;
  rip?: string;
  symbol?: string;
  cr2?: string;
}

export interface WireFunction {
  name: string;
  params: { name: string; type: string }[];
  returns: string;
}

export interface WireRegion {
  name: string;
  begin: string;
  end: string;
  access: string;
}

export interface GuestInfo {
  path: string;
  functions: WireFunction[];
  backend: string;
  backendReason: string;
  memorySize: string;
  regions: WireRegion[];
}

export interface CallResult {
  ok: boolean;
  /** The value as text ("5", "0x...", a string, hex bytes), when ok. */
  value?: string;
  type: string;
  output: string;
  /** The guest printed more than the engine keeps per call (1 MiB); `output` is the start. */
  outputTruncated: boolean;
  error?: WireError;
  durationNs: number;
}

/** Every register as hex, RFLAGS's flags by name. */
export interface WireRegisters {
  values: Record<string, string>;
  flags: Record<string, boolean>;
}

export interface WireStop {
  reason: 'entry' | 'step' | 'breakpoint' | 'watchpoint' | 'pause' | 'fault' | 'exit';
  rip: string;
  symbol: string;
  file?: string;
  line?: number;
  breakpoint?: number;
  value?: string;
  error?: WireError;
  output?: string;
  registers: WireRegisters;
}

export interface WireBreakpoint {
  id: number;
  location: string;
  address: string;
  condition: string;
  enabled: boolean;
  hits: number;
}

export interface WireInstruction {
  address: string;
  bytes: string;
  mnemonic: string;
  operands: string;
  symbol: string;
  file?: string;
  line?: number;
  targetSymbol?: string;
}

export interface WireFrame {
  rip: string;
  /** The frame's stack pointer: where its locals are. */
  rsp: string;
  symbol: string;
  file?: string;
  line?: number;
}

export interface WireWatchpoint {
  id: number;
  address: string;
  length: number;
  kind: 'read' | 'write' | 'access';
  enabled: boolean;
  hits: number;
}

export interface WireSnapshot {
  id: number;
  label: string;
  /** ms since the epoch. */
  takenAt: number;
}

/** A run of bytes that differ, with both sides' bytes (the first 256 of the run). */
export interface WireByteDifference {
  address: string;
  length: number;
  before: string;
  after: string;
}

export interface WireComparison {
  a: number;
  /** null: guest memory now. */
  b: number | null;
  pages: string[];
  /** In address order; at most maxDifferenceRuns of them. */
  runs: WireByteDifference[];
  /** Bytes that differ, in all. */
  bytes: number;
  truncated: boolean;
}

export interface WireTraceEvent {
  kind: 'function' | 'host' | 'exit';
  name: string;
  depth: number;
  startNs: number;
  durationNs: number;
  /** A function's address; a host call's arguments and result or error, as text. */
  detail?: string;
}

export interface WireTrace {
  call: string;
  backend: string;
  durationNs: number;
  /** All the call's events, and how many of them are in `events`. */
  eventCount: number;
  events: WireTraceEvent[];
  /** The engine dropped events (beyond its million, or beyond maxWireTraceEvents here). */
  truncated: boolean;
  ok: boolean;
  value?: string;
  error?: WireError;
  output: string;
}

/** A profile as the Latency panel shows it: the saved form and its chart data, binned in the engine. */
export interface WireProfileRun {
  id: number;
  label: string;
  profile: Profile;
  /** Log-spaced bins from the fastest call to the slowest. */
  bins: LatencyBin[];
  curve: PercentilePoint[];
  imported: boolean;
  /** The calls were kept: profile.csv gives them. */
  hasRows: boolean;
}

export interface ProfileProgress {
  event: 'profile';
  stage: 'warmup' | 'measure';
  done: number;
  total: number | null;
  elapsedMs: number;
  durationMs: number | null;
}

export interface Results {
  'engine.restart': GuestInfo | null;
  'guest.load': GuestInfo;
  'guest.info': GuestInfo | null;
  'call.run': CallResult;
  'call.cancel': null;
  'debug.start': WireStop;
  'debug.resume': WireStop;
  'debug.restart': WireStop;
  'debug.pause': null;
  'debug.end': null;
  'breakpoint.add': WireBreakpoint;
  'breakpoint.remove': null;
  'breakpoint.enable': null;
  'breakpoint.list': WireBreakpoint[];
  'watchpoint.add': WireWatchpoint;
  'watchpoint.remove': null;
  'watchpoint.enable': null;
  'watchpoint.list': WireWatchpoint[];
  'registers.get': WireRegisters;
  'registers.set': WireRegisters;
  'memory.read': { bytes: string };
  'memory.write': null;
  'code.disassemble': WireInstruction[];
  'stack.backtrace': WireFrame[];
  'snapshot.take': WireSnapshot;
  'snapshot.restore': null;
  'snapshot.drop': null;
  'snapshot.list': WireSnapshot[];
  'snapshot.compare': WireComparison;
  'trace.record': WireTrace;
  /** Chrome Trace Event JSON of the last recorded trace, and a file name for it. */
  'trace.chrome': { name: string; json: string };
  'profile.run': WireProfileRun;
  'profile.cancel': null;
  'profile.import': WireProfileRun;
  'profile.csv': { name: string; csv: string };
}

export type Response<M extends Method = Method> =
  | { id: number; ok: true; result: Results[M] }
  | { id: number; ok: false; error: WireError };

/** What the engine (or the server around it) says without being asked. */
export type EngineEvent =
  | { event: 'engine'; state: 'running' | 'stopped'; pid?: number; detail?: string }
  | { event: 'output'; text: string }
  | ProfileProgress;

export type ServerMessage = Response | EngineEvent;

/** The request's params, checked; throws a message naming what is wrong. */
export function checkRequest(raw: unknown): Request {
  const envelope = requestSchema.safeParse(raw);
  if (!envelope.success) throw new ProtocolError(`a request is { id, method, params }: ${envelope.error.issues[0]?.message}`);
  const { id, method, params } = envelope.data;
  if (!(method in requestSchemas)) throw new ProtocolError(`there is no method '${method}'`, id);
  const parsed = requestSchemas[method as Method].safeParse(params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ProtocolError(`${method}: ${issue.path.join('.') || 'params'}: ${issue.message}`, id);
  }
  return { id, method: method as Method, params: parsed.data } as Request;
}

export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly id?: number,
  ) {
    super(message);
  }
}
