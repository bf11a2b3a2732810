// The one definition of what crosses between the inspector's UI (renderer) and the engine
// process: requests and their results (methods.ts, over the values of values.ts) and the
// events the engine sends on its own (events.ts), each a schema. Each side checks what it receives: the
// engine every request (checkRequest), the UI every response and event (checkResponse,
// checkEvent), so a bad message is a clear error, never a crash or a panel reading
// fields that are not there.
import { z } from 'zod';

import { type EngineEvent, engineEventSchema } from './events.js';
import { type Method, methods, type Params, type Results } from './methods.js';
import { type WireError, wireErrorSchema } from './values.js';

export * from './events.js';
export * from './limits.js';
export * from './methods.js';
export * from './values.js';
export type { LatencyBin, PercentilePoint, Profile } from '../latency.js';

export interface Request<M extends Method = Method> {
  id: number;
  method: M;
  params: Params<M>;
}

export type Response<M extends Method = Method> = { id: number; ok: true; result: Results[M] } | { id: number; ok: false; error: WireError };

export type ServerMessage = Response | EngineEvent;

export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly id?: number,
  ) {
    super(message);
  }
}

/** The first thing wrong, where it is: "address: a 0x-hex number"; `top` when it is the whole. */
const firstIssue = (error: z.ZodError, top: string) => {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || top}: ${issue.message}`;
};

const requestEnvelope = z.object({ id: z.number().int().nonnegative(), method: z.string(), params: z.unknown() });

/** The request's params, checked; throws a ProtocolError naming what is wrong. */
export function checkRequest(raw: unknown): Request {
  const envelope = requestEnvelope.safeParse(raw);
  if (!envelope.success) throw new ProtocolError(`a request is { id, method, params }: ${envelope.error.issues[0]?.message}`);
  const { id, method, params } = envelope.data;
  if (!Object.hasOwn(methods, method)) throw new ProtocolError(`there is no method '${method}'`, id);
  const parsed = methods[method as Method].params.safeParse(params ?? {});
  if (!parsed.success) throw new ProtocolError(`${method}: ${firstIssue(parsed.error, 'params')}`, id);
  return { id, method: method as Method, params: parsed.data } as Request;
}

const responseEnvelope = z.union([
  z.object({ id: z.number().int().nonnegative(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.number().int().nonnegative(), ok: z.literal(false), error: wireErrorSchema }),
]);

/** Whether a message from the engine is an event (else it answers a request). */
export const isEvent = (raw: unknown): boolean => typeof raw === 'object' && raw !== null && 'event' in raw;

/** The id a response answers, if it has one: to find its request before checking the rest. */
export function responseId(raw: unknown): number | undefined {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'number' ? id : undefined;
}

/** A response to a request of `method`, checked against that method's result; throws a ProtocolError naming what is wrong. */
export function checkResponse<M extends Method>(method: M, raw: unknown): Response<M> {
  const envelope = responseEnvelope.safeParse(raw);
  if (!envelope.success)
    throw new ProtocolError(`the engine's answer to ${method} is not a response: ${firstIssue(envelope.error, 'response')}`, responseId(raw));
  if (!envelope.data.ok) return envelope.data;
  const result = methods[method].result.safeParse(envelope.data.result);
  if (!result.success) throw new ProtocolError(`the engine's answer to ${method} is malformed: ${firstIssue(result.error, 'the result')}`, envelope.data.id);
  return { id: envelope.data.id, ok: true, result: result.data as Results[M] };
}

/** An event, checked; throws a ProtocolError naming what is wrong. */
export function checkEvent(raw: unknown): EngineEvent {
  const parsed = engineEventSchema.safeParse(raw);
  if (!parsed.success) throw new ProtocolError(`an event from the engine is malformed: ${firstIssue(parsed.error, 'event')}`);
  return parsed.data;
}
