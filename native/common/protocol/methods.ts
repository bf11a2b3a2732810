// Every method of the inspector's protocol, once: its parameters (the engine checks each
// request against them), its result (the UI checks each response against it) and what it
// does to the session a restarted engine gets back (session_memory.ts). Adding a method is
// one entry here and its handler in the engine (native/node/engine_process/engine.ts); the
// types of both sides follow from this table.
import { z } from 'zod';

import { cpuProfileExportFormats, cpuProfileSchema } from '../cpu_profile.js';
import { measureModes } from '../latency.js';
import { maxGuestBytes, maxKeptRows, maxProfileIterations } from './limits.js';
import {
  hexBytesText,
  watchKinds,
  wireBreakpointSchema,
  wireCallReportSchema,
  wireComparisonSchema,
  wireFrameSchema,
  wireGuestSchema,
  wireInstructionSchema,
  wireLastWriteSchema,
  wireRecordingSchema,
  wireProfileRunSchema,
  wireRegistersSchema,
  wireScopeSchema,
  wireSnapshotSchema,
  wireStopSchema,
  wireTraceSchema,
  wireCoverageSchema,
  wireVariableSchema,
  wireWatchpointSchema,
} from './values.js';

const hex64 = z.string().regex(/^0x[0-9a-f]{1,32}$/i, 'a 0x-hex number');
/** Where code is: "0x...", a symbol ("fib", "fib+0x10") or a source line ("demo.c:14"). */
const location = z.string().min(1).max(512);
const id = z.number().int().positive();
/** A stack frame: 0 is the running one. */
const frame = z.number().int().min(0).max(100000);
/** A C expression over a paused frame's variables and registers. */
const expression = z.string().max(4096);
const call = { function: z.string().min(1).max(256), args: z.array(z.string().max(1 << 20)).max(16) };

const noParams = z.object({}).strict();
const none = z.null();

/**
 * What a method does to the session a new engine process must be given back: `load` starts
 * it anew; `add` makes a thing its result's id names; `change` alters the thing `params.id`
 * names (the last change of each method counts); `remove` drops that thing.
 */
export type SessionEffect = 'load' | 'add' | 'change' | 'remove';

function method<P extends z.ZodType, R extends z.ZodType>(params: P, result: R, session?: SessionEffect) {
  return { params, result, session };
}

/** engine.restart is the host's, not the engine's: it starts a new engine process. */
export const methods = {
  'engine.restart': method(noParams, wireGuestSchema.nullable()),
  // A path on the engine's machine, the ELF itself (base64) with its file name, or a bundled
  // guest by name; none of them: the demo.
  'guest.load': method(
    z
      .object({
        path: z.string().min(1).max(4096).optional(),
        bytes: z
          .string()
          .max(Math.ceil(maxGuestBytes / 3) * 4)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64')
          .optional(),
        name: z.string().min(1).max(255).optional(),
        bundled: z.enum(['demo', 'sqlite']).optional(),
        backend: z.enum(['auto', 'emulated', 'kvm']).optional(),
      })
      .strict()
      .refine((p) => [p.path, p.bytes, p.bundled].filter((source) => source !== undefined).length <= 1, 'give a path, bytes or a bundled guest, only one'),
    wireGuestSchema,
    'load',
  ),
  'guest.info': method(noParams, wireGuestSchema.nullable()),
  'call.run': method(z.object(call).strict(), wireCallReportSchema),
  'call.cancel': method(noParams, none),
  // record: the call is recorded, to go back in (the emulated backend only).
  'debug.start': method(z.object({ ...call, record: z.boolean().optional() }).strict(), wireStopSchema),
  'debug.resume': method(
    z.object({ how: z.enum(['continue', 'step', 'over', 'out', 'to', 'line-over', 'line-into']), target: location.optional() }).strict(),
    wireStopSchema,
  ),
  'debug.restart': method(noParams, wireStopSchema),
  // Time travel in a recorded call: the reverse of each resume, a position to go to, and
  // who last wrote a range of memory, a variable (an lvalue in frame `frame`) or a register.
  'debug.reverse': method(z.object({ how: z.enum(['step', 'over', 'line-over', 'line-into', 'out', 'continue']) }).strict(), wireStopSchema),
  'debug.goTo': method(z.object({ position: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }).strict(), wireStopSchema),
  'debug.lastWrite': method(
    z
      .object({
        address: hex64.optional(),
        length: z.number().int().min(1).max(4096).optional(),
        expression: expression.optional(),
        frame: frame.optional(),
        register: z
          .string()
          .regex(/^[a-z0-9]+$/)
          .optional(),
      })
      .strict()
      .refine(
        (p) => [p.address, p.expression, p.register].filter((what) => what !== undefined).length === 1,
        'give an address, an expression or a register, one of them',
      ),
    wireLastWriteSchema,
  ),
  'debug.recording': method(noParams, wireRecordingSchema.nullable()),
  'debug.pause': method(noParams, none),
  'debug.end': method(noParams, none),
  'breakpoint.add': method(
    z
      .object({
        location,
        condition: z.string().max(1024).optional(),
        hitCondition: z.string().max(64).optional(),
        logMessage: z.string().max(4096).optional(),
      })
      .strict(),
    wireBreakpointSchema,
    'add',
  ),
  'breakpoint.remove': method(z.object({ id }).strict(), none, 'remove'),
  'breakpoint.enable': method(z.object({ id, enabled: z.boolean() }).strict(), none, 'change'),
  'breakpoint.list': method(noParams, z.array(wireBreakpointSchema)),
  'watchpoint.add': method(
    z
      .object({
        location,
        length: z
          .number()
          .int()
          .min(1)
          .max(1 << 20),
        kind: z.enum(watchKinds),
      })
      .strict(),
    wireWatchpointSchema,
    'add',
  ),
  'watchpoint.remove': method(z.object({ id }).strict(), none, 'remove'),
  'watchpoint.enable': method(z.object({ id, enabled: z.boolean() }).strict(), none, 'change'),
  'watchpoint.list': method(noParams, z.array(wireWatchpointSchema)),
  'registers.get': method(noParams, wireRegistersSchema),
  'registers.set': method(z.object({ name: z.string().regex(/^[a-z0-9]+$/), value: hex64 }).strict(), wireRegistersSchema),
  'memory.read': method(
    z
      .object({
        address: hex64,
        length: z
          .number()
          .int()
          .min(0)
          .max(1 << 20),
      })
      .strict(),
    z.object({ bytes: hexBytesText }),
  ),
  'memory.write': method(z.object({ address: hex64, bytes: hexBytesText.max(2 << 20) }).strict(), none),
  'code.disassemble': method(z.object({ location, count: z.number().int().min(1).max(1000) }).strict(), z.array(wireInstructionSchema)),
  'stack.backtrace': method(noParams, z.array(wireFrameSchema)),
  // A paused call's variables and C expressions, in a frame (0: the running one, as stack.backtrace lists them).
  'variables.scopes': method(z.object({ frame }).strict(), z.array(wireScopeSchema)),
  'variables.evaluate': method(z.object({ expression, frame }).strict(), wireVariableSchema),
  'variables.children': method(
    z.object({ expression, frame, start: z.number().int().min(0).max(0xffffffff).optional(), count: z.number().int().min(1).max(10000).optional() }).strict(),
    z.array(wireVariableSchema),
  ),
  'variables.set': method(z.object({ expression, value: expression, frame }).strict(), wireVariableSchema),
  // The guest's source files (its line tables' units) with the lines where a statement starts.
  'source.files': method(noParams, z.array(z.object({ file: z.string(), lines: z.array(z.number().int().positive()) }))),
  // A source file's text, read on the engine's machine, through the path map when given.
  'source.read': method(
    z
      .object({
        file: z.string().min(1).max(4096),
        pathMap: z
          .array(z.object({ from: z.string().min(1).max(4096), to: z.string().min(1).max(4096) }).strict())
          .max(64)
          .optional(),
      })
      .strict(),
    z.object({ file: z.string(), path: z.string(), text: z.string() }),
  ),
  'snapshot.take': method(z.object({ label: z.string().max(100).optional() }).strict(), wireSnapshotSchema),
  'snapshot.restore': method(z.object({ id }).strict(), none),
  'snapshot.drop': method(z.object({ id }).strict(), none),
  'snapshot.list': method(noParams, z.array(wireSnapshotSchema)),
  // b omitted: compare with guest memory now.
  'snapshot.compare': method(z.object({ a: id, b: id.optional() }).strict(), wireComparisonSchema),
  'trace.record': method(z.object(call).strict(), wireTraceSchema),
  /** Chrome Trace Event JSON of the last recorded trace, and a file name for it. */
  'trace.chrome': method(noParams, z.object({ name: z.string(), json: z.string() })),
  // One of iterations or durationMs; a backend other than the loaded sandbox's: a new sandbox of the guest on it.
  'profile.run': method(
    z
      .object({
        ...call,
        mode: z.enum(measureModes),
        iterations: z.number().int().min(1).max(maxProfileIterations).optional(),
        durationMs: z.number().int().min(1).max(3_600_000).optional(),
        warmup: z.number().int().min(0).max(1_000_000).optional(),
        backend: z.enum(['emulated', 'kvm']).optional(),
        keepRows: z.boolean().optional(),
        // Also a CPU profile of the calls: exact (the emulated backend's default) or sampled at rateHz (1,000 by default).
        cpu: z
          .object({ kind: z.enum(['exact', 'sampled']).optional(), rateHz: z.number().int().min(1).max(100_000).optional() })
          .strict()
          .optional(),
      })
      .strict()
      .refine((p) => (p.iterations === undefined) !== (p.durationMs === undefined), 'give iterations or durationMs, one of them')
      .refine((p) => !p.keepRows || (p.iterations !== undefined && p.iterations <= maxKeptRows), `keepRows: at most ${maxKeptRows} iterations, counted`),
    wireProfileRunSchema,
  ),
  'profile.cancel': method(noParams, none),
  // A profile saved by `microscope bench --out` or the Latency panel, perhaps on another machine.
  'profile.import': method(
    z
      .object({
        json: z
          .string()
          .min(2)
          .max(64 << 20),
      })
      .strict(),
    wireProfileRunSchema,
  ),
  'profile.csv': method(z.object({ id }).strict(), z.object({ name: z.string(), csv: z.string() })),
  // Which lines the calls ran (each an argument list, as call.run takes them); the last coverage is kept for coverage.lcov.
  'coverage.run': method(z.object({ function: call.function, calls: z.array(call.args).min(1).max(100_000) }).strict(), wireCoverageSchema),
  /** The last coverage as an lcov tracefile, and a file name for it. */
  'coverage.lcov': method(noParams, z.object({ name: z.string(), lcov: z.string() })),
  // A CPU profile recorded by profile.run (its run's cpuProfileId) or imported.
  'cpuProfile.get': method(z.object({ id }).strict(), cpuProfileSchema),
  // A file for another tool: pprof (gzipped protobuf, base64), speedscope, folded stacks, Chrome's .cpuprofile, or this profile's own JSON.
  'cpuProfile.export': method(
    z.object({ id, format: z.enum(cpuProfileExportFormats) }).strict(),
    z.object({ name: z.string(), data: z.string(), encoding: z.enum(['utf8', 'base64']) }),
  ),
  // A CPU profile saved as its own JSON (cpuProfile.export's "microscope"), perhaps from another machine: its id.
  'cpuProfile.import': method(
    z
      .object({
        json: z
          .string()
          .min(2)
          .max(256 << 20),
      })
      .strict(),
    z.object({ id, label: z.string() }),
  ),
} as const;

export type Method = keyof typeof methods;

export type Params<M extends Method> = z.infer<(typeof methods)[M]['params']>;
export type Results = { [M in Method]: z.infer<(typeof methods)[M]['result']> };
