// What the engine, or the host that runs it, says without being asked: its process
// started or stopped, a profile's progress. Checked
// by the UI as results are (messages.ts).
import { z } from 'zod';

const count = z.number().int().nonnegative();

export const engineStateEventSchema = z.object({
  event: z.literal('engine'),
  state: z.enum(['running', 'stopped']),
  pid: z.number().int().positive().optional(),
  detail: z.string().optional(),
});

export const profileProgressSchema = z.object({
  event: z.literal('profile'),
  stage: z.enum(['warmup', 'measure']),
  done: count,
  /** Calls to make in this stage, or null when it runs for a duration. */
  total: count.nullable(),
  elapsedMs: z.number().finite().nonnegative(),
  durationMs: z.number().finite().nonnegative().nullable(),
});
export type ProfileProgress = z.infer<typeof profileProgressSchema>;

export const engineEventSchema = z.discriminatedUnion('event', [engineStateEventSchema, profileProgressSchema]);
export type EngineEvent = z.infer<typeof engineEventSchema>;
