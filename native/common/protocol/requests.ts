// What the inspector's UI may ask the engine: each method's parameters, as schemas the
// engine checks every request against (messages.ts), so a bad request is a clear error
// naming the field, never a crash. One entry per method; its result is in results.ts.
import { z } from 'zod';

import { measureModes } from '../latency.js';
import { maxGuestBytes, maxKeptRows, maxProfileIterations } from './limits.js';

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
      mode: z.enum(measureModes),
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
