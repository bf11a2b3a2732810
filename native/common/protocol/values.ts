// The values the protocol carries, as schemas (types inferred from them, so each shape is
// written once): a guest, a call's report, a stop, breakpoints, code, frames, snapshots,
// traces, profiles. methods.ts says which method answers with which.
//
// JSON has no 64-bit integers: addresses, registers and 64-bit values travel as "0x..."
// hex strings; bytes as hex strings too.
import { z } from 'zod';

import { latencyBinSchema, percentilePointSchema, profileSchema } from '../latency.js';

export const hexText = z.string().regex(/^0x[0-9a-f]+$/i, 'a 0x-hex number');
export const hexBytesText = z.string().regex(/^(?:[0-9a-f]{2})*$/i, 'hex bytes');
const count = z.number().int().nonnegative();
const ns = z.number().finite().nonnegative();
const id = z.number().int().positive();
const sourceLine = { file: z.string().optional(), line: z.number().int().positive().optional() };

export const wireErrorSchema = z.object({
  kind: z.string(),
  message: z.string(),
  /** GuestFault: '#PF'... */
  vector: z.string().optional(),
  rip: hexText.optional(),
  symbol: z.string().optional(),
  cr2: hexText.optional(),
  /** GuestAbort: the code the guest gave ms_abort. */
  code: z.number().int().optional(),
});
export type WireError = z.infer<typeof wireErrorSchema>;

export const wireFunctionSchema = z.object({
  name: z.string(),
  params: z.array(z.object({ name: z.string(), type: z.string() })),
  returns: z.string(),
});
export type WireFunction = z.infer<typeof wireFunctionSchema>;

export const wireRegionSchema = z.object({ name: z.string(), begin: hexText, end: hexText, access: z.string() });
export type WireRegion = z.infer<typeof wireRegionSchema>;

/** The loaded guest: its functions, the backend it runs on and why, its memory's layout. */
export const wireGuestSchema = z.object({
  path: z.string(),
  functions: z.array(wireFunctionSchema),
  backend: z.string(),
  backendReason: z.string(),
  memorySize: hexText,
  regions: z.array(wireRegionSchema),
});
export type WireGuest = z.infer<typeof wireGuestSchema>;

/** A call's outcome: its value or error, its output, how long it took. */
export const wireCallReportSchema = z.object({
  ok: z.boolean(),
  /** The value as text ("5", "0x...", a string, hex bytes), when ok. */
  value: z.string().optional(),
  type: z.string(),
  output: z.string(),
  /** The guest printed more than the engine keeps per call (1 MiB); `output` is the start. */
  outputTruncated: z.boolean(),
  error: wireErrorSchema.optional(),
  durationNs: ns,
});
export type WireCallReport = z.infer<typeof wireCallReportSchema>;

/** Every register as hex, RFLAGS's flags by name. */
export const wireRegistersSchema = z.object({ values: z.record(z.string(), hexText), flags: z.record(z.string(), z.boolean()) });
export type WireRegisters = z.infer<typeof wireRegistersSchema>;

/** 'start': going back in a recorded call reached the recording's start. */
export const stopReasons = ['entry', 'step', 'breakpoint', 'watchpoint', 'pause', 'fault', 'exit', 'start'] as const;

/** A watchpoint's hit: the access, and the whole watched range before and after it. */
export const wireWatchHitSchema = z.object({
  watchpoint: id,
  address: hexText,
  size: count,
  access: z.enum(['read', 'write']),
  instruction: hexText.optional(),
  oldValue: hexBytesText,
  newValue: hexBytesText,
});
export type WireWatchHit = z.infer<typeof wireWatchHitSchema>;

export const wireStopSchema = z.object({
  reason: z.enum(stopReasons),
  rip: hexText,
  symbol: z.string(),
  ...sourceLine,
  breakpoint: id.optional(),
  /** In a recorded call: the instructions it had run, from its first. */
  position: count.optional(),
  /** Logpoints' messages on the way to this stop. */
  logs: z.array(z.object({ breakpoint: id, text: z.string() })).optional(),
  watch: wireWatchHitSchema.optional(),
  value: z.string().optional(),
  error: wireErrorSchema.optional(),
  output: z.string().optional(),
  registers: wireRegistersSchema,
});
export type WireStop = z.infer<typeof wireStopSchema>;

/** A position of note on a recorded call's timeline (native/node/api/time_travel.ts). */
export const wireRecordedEventSchema = z.object({
  kind: z.enum(['host-call', 'breakpoint', 'watchpoint', 'fault']),
  position: count,
  id: id.optional(),
  function: z.string().optional(),
});

/** What a recorded call's recording holds: its span, where the call is, its size and events. */
export const wireRecordingSchema = z.object({
  start: count,
  end: count,
  position: count,
  ended: z.boolean(),
  dropped: z.boolean(),
  bytes: count,
  sizeLimit: count,
  checkpoints: count,
  checkpointInterval: count,
  events: z.array(wireRecordedEventSchema),
});
export type WireRecording = z.infer<typeof wireRecordingSchema>;

/** The last write of a range, a variable or a register before now. */
export const wireLastWriteSchema = z.object({
  found: z.boolean(),
  position: count.optional(),
  instruction: hexText.optional(),
  symbol: z.string().optional(),
  ...sourceLine,
  oldValue: hexBytesText.optional(),
  newValue: hexBytesText.optional(),
});
export type WireLastWrite = z.infer<typeof wireLastWriteSchema>;

export const wireBreakpointSchema = z.object({
  id,
  location: z.string(),
  address: hexText,
  /** Where it went: "fib+0xb", and the source line the engine resolved (a file:line location's, or the address's). */
  symbol: z.string().optional(),
  ...sourceLine,
  condition: z.string(),
  hitCondition: z.string(),
  logMessage: z.string(),
  enabled: z.boolean(),
  hits: count,
});
export type WireBreakpoint = z.infer<typeof wireBreakpointSchema>;

export const watchKinds = ['read', 'write', 'access'] as const;

export const wireWatchpointSchema = z.object({
  id,
  address: hexText,
  length: count,
  kind: z.enum(watchKinds),
  enabled: z.boolean(),
  hits: count,
});
export type WireWatchpoint = z.infer<typeof wireWatchpointSchema>;

export const wireInstructionSchema = z.object({
  address: hexText,
  bytes: hexBytesText,
  mnemonic: z.string(),
  operands: z.string(),
  symbol: z.string(),
  ...sourceLine,
  targetSymbol: z.string().optional(),
});
export type WireInstruction = z.infer<typeof wireInstructionSchema>;

export const wireFrameSchema = z.object({
  rip: hexText,
  /** The frame's stack pointer: where its locals are. */
  rsp: hexText,
  symbol: z.string(),
  ...sourceLine,
  /** The C function its code is in, and its arguments' values, shortened: fib(n=3). */
  function: z.string().optional(),
  args: z.array(z.object({ name: z.string(), value: z.string() })),
});
export type WireFrame = z.infer<typeof wireFrameSchema>;

/** A variable, an expression's value, a member or an element (native/node/api/debug.ts Variable). */
export const wireVariableSchema = z.object({
  name: z.string(),
  value: z.string(),
  type: z.string(),
  /** The expression that names it, to evaluate, watch or set it. */
  expression: z.string(),
  expandable: z.boolean(),
  address: hexText.optional(),
  /** An array's elements. */
  count: count.optional(),
  /** Why it has no value ("optimized out", a register lost in a call). */
  unavailable: z.string().optional(),
});
export type WireVariable = z.infer<typeof wireVariableSchema>;

export const wireScopeSchema = z.object({ name: z.enum(['Arguments', 'Locals', 'Globals']), variables: z.array(wireVariableSchema) });
export type WireScope = z.infer<typeof wireScopeSchema>;

export const wireSnapshotSchema = z.object({
  id,
  label: z.string(),
  /** ms since the epoch. */
  takenAt: z.number().finite(),
});
export type WireSnapshot = z.infer<typeof wireSnapshotSchema>;

/** A run of bytes that differ, with both sides' bytes (the first 256 of the run). */
export const wireByteDifferenceSchema = z.object({ address: hexText, length: count, before: hexBytesText, after: hexBytesText });
export type WireByteDifference = z.infer<typeof wireByteDifferenceSchema>;

export const wireComparisonSchema = z.object({
  a: id,
  /** null: guest memory now. */
  b: id.nullable(),
  pages: z.array(hexText),
  /** In address order; at most maxDifferenceRuns of them. */
  runs: z.array(wireByteDifferenceSchema),
  /** Bytes that differ, in all. */
  bytes: count,
  truncated: z.boolean(),
});
export type WireComparison = z.infer<typeof wireComparisonSchema>;

export const wireTraceEventSchema = z.object({
  kind: z.enum(['function', 'host', 'exit']),
  name: z.string(),
  depth: count,
  startNs: ns,
  durationNs: ns,
  /** A function's address; a host call's arguments and result or error, as text. */
  detail: z.string().optional(),
  /** A function's arguments as it was entered, where DWARF says where they are: "n=20". */
  args: z.string().optional(),
});
export type WireTraceEvent = z.infer<typeof wireTraceEventSchema>;

export const wireTraceSchema = z.object({
  call: z.string(),
  backend: z.string(),
  durationNs: ns,
  /** All the call's events, and how many of them are in `events`. */
  eventCount: count,
  /** What the engine did before the first guest function ran, in order from the trace's start. */
  leadIn: z.array(z.object({ name: z.string(), startNs: ns, durationNs: ns })),
  events: z.array(wireTraceEventSchema),
  /** The engine dropped events (beyond its million, or beyond maxWireTraceEvents here). */
  truncated: z.boolean(),
  ok: z.boolean(),
  value: z.string().optional(),
  error: wireErrorSchema.optional(),
  output: z.string(),
});
export type WireTrace = z.infer<typeof wireTraceSchema>;

/** Which lines and instructions calls ran: counts on the emulated backend, hits (1) on KVM. */
export const wireCoverageSchema = z.object({
  call: z.string(),
  backend: z.string(),
  exact: z.boolean(),
  calls: count,
  files: z.array(
    z.object({
      path: z.string(),
      /** Every line with code: [line, count]. A line that isn't here has no code. */
      lines: z.array(z.tuple([count, count])),
    }),
  ),
  /** [address, count] of each instruction run (exact), or each statement start hit (KVM). */
  instructions: z.array(z.tuple([hexText, count])),
  /** The calls that didn't return, by their place in the list. */
  failures: z.array(z.object({ call: count, error: wireErrorSchema })),
});
export type WireCoverage = z.infer<typeof wireCoverageSchema>;

/** A profile as the Latency panel shows it: the saved form and its chart data, binned in the engine. */
export const wireProfileRunSchema = z.object({
  id,
  label: z.string(),
  profile: profileSchema,
  /** Log-spaced bins from the fastest call to the slowest. */
  bins: z.array(latencyBinSchema),
  curve: z.array(percentilePointSchema),
  imported: z.boolean(),
  /** The calls were kept: profile.csv gives them. */
  hasRows: z.boolean(),
  /** The CPU profile recorded with it (cpuProfile.get), or null. */
  cpuProfileId: id.nullable(),
});
export type WireProfileRun = z.infer<typeof wireProfileRunSchema>;
