// Call traces as OpenTelemetry spans, on the demo: the span tree follows the trace's
// nesting and times, the host's trace context becomes the root's parent, and the spans
// reach an OTLP/JSON file and an OTLP/HTTP collector (a node:http server here).
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { context, ROOT_CONTEXT, SpanStatusCode, trace as traces, type Context, type ContextManager, type HrTime } from '@opentelemetry/api';
import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Sandbox, sendOtlp, toOtlpJson, traceSpans, UsageError, type CallTrace, type TraceEvent } from '../../../../native/node/api/index.js';
import { demoGuestPath } from '../../../helpers.js';

/** What context-async-hooks' manager does, so context.with() sets the active context as in an instrumented host. */
class AsyncLocalContextManager implements ContextManager {
  #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.#storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}

const ns = (time: HrTime) => BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);

/** Each event's span (spans start in the trace's order, after the root) and the span it should be a child of. */
function expectedParents(trace: CallTrace, spans: ReadableSpan[]): { event: TraceEvent; span: ReadableSpan; parent: ReadableSpan }[] {
  const open: ReadableSpan[] = [];
  const pairs = [];
  let next = 1;
  for (const event of trace.events) {
    open.length = event.depth;
    if (event.kind === 'exit') continue;
    const span = spans[next++]!;
    pairs.push({ event, span, parent: open.at(-1) ?? spans[0]! });
    if (event.kind === 'function') open.push(span);
  }
  return pairs;
}

interface Received {
  method?: string;
  url?: string;
  contentType?: string;
  body: string;
}

/** A collector on 127.0.0.1 that answers every POST with `status`; resolves to its URL. */
async function collector(status: number, received: Received[]): Promise<{ server: Server; url: string }> {
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method, url: request.url, contentType: request.headers['content-type'], body: Buffer.concat(chunks).toString() });
      response.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '{}' : '{"message":"no such tenant"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces` };
}

describe('OpenTelemetry spans of a call trace', () => {
  let sandbox: Sandbox;
  let fib: CallTrace;
  let greet: CallTrace;
  beforeAll(async () => {
    sandbox = await Sandbox.create(demoGuestPath);
    fib = await sandbox.trace('fib', [10]);
    greet = await sandbox.trace('greet', ['Ann']);
  });
  afterAll(() => sandbox.dispose());

  it('are a root span for the call and one span per function and host call, nested as the trace', () => {
    const spans = traceSpans(fib, { call: 'fib(10)', startTimeMs: Date.now(), guest: 'demo' });
    expect(spans).toHaveLength(fib.events.filter((e) => e.kind !== 'exit').length + 1); // 177 fib calls and the root
    const root = spans[0]!;
    expect(root.name).toBe('fib(10)');
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.attributes).toEqual({
      'microscope.function': 'fib',
      'microscope.args': '10',
      'microscope.backend': sandbox.backend,
      'microscope.outcome': '55',
    });
    expect(root.resource.attributes).toMatchObject({ 'service.name': 'microscope', 'microscope.guest': 'demo' });
    expect(root.instrumentationScope.name).toBe('microscope');
    for (const { event, span, parent } of expectedParents(fib, spans)) {
      expect(span.name).toBe(event.name);
      expect(span.attributes).toEqual({
        'code.function.name': 'fib',
        'microscope.address': `0x${sandbox.resolve('fib').toString(16)}`,
        'microscope.arguments': event.arguments,
      });
      expect(event.arguments).toMatch(/^n=\d+$/);
      expect(span.spanContext().traceId).toBe(root.spanContext().traceId);
      expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
      expect(ns(span.startTime)).toBeGreaterThanOrEqual(ns(parent.startTime));
      expect(ns(span.endTime)).toBeLessThanOrEqual(ns(parent.endTime));
    }
    // The exit (the final hlt) is an event of the span around it.
    expect(spans.flatMap((s) => s.events.map((e) => e.name))).toEqual(['exit hlt']);
  });

  it('keep the trace times to the nanosecond, from the call start given', () => {
    const startTimeMs = 1_700_000_000_123;
    const spans = traceSpans(fib, { call: 'fib(10)', startTimeMs });
    const start = BigInt(startTimeMs) * 1_000_000n;
    expect(ns(spans[0]!.startTime)).toBe(start);
    expect(ns(spans[0]!.endTime)).toBe(start + BigInt(fib.durationNs));
    for (const { event, span } of expectedParents(fib, spans)) {
      expect(ns(span.startTime)).toBe(start + BigInt(event.startNs));
      expect(ns(span.endTime)).toBe(start + BigInt(event.startNs + event.durationNs));
    }
  });

  it('hold host calls with their arguments, exits as events where they were taken', () => {
    const spans = traceSpans(greet, { call: 'greet(Ann)', startTimeMs: Date.now() });
    const pairs = expectedParents(greet, spans);
    const host = pairs.find((p) => p.event.kind === 'host')!;
    expect(host.span.name).toBe('host print');
    expect(host.span.attributes).toEqual({ 'microscope.host.function': 'print', 'microscope.host.args': ['Hello, Ann!'] });
    expect(host.span.parentSpanContext?.spanId).toBe(host.parent.spanContext().spanId);
    expect(host.parent.name).not.toBe('greet(Ann)');
    const exits = greet.events.filter((e) => e.kind === 'exit');
    const events = spans.flatMap((s) => s.events);
    expect(events.map((e) => e.name)).toEqual(expect.arrayContaining(exits.map((e) => `exit ${e.name}`)));
    expect(events).toHaveLength(exits.length);
    expect(spans[0]!.attributes['microscope.outcome']).toBe('Hello, Ann!');
  });

  it('mark a failed call as an error', async () => {
    const crash = await sandbox.trace('crash_null');
    const root = traceSpans(crash, { call: 'crash_null()', startTimeMs: Date.now() })[0]!;
    expect(root.status).toEqual({ code: SpanStatusCode.ERROR, message: `GuestFault: ${crash.error!.message}` });
    expect(root.attributes).toMatchObject({ 'microscope.function': 'crash_null', 'microscope.args': '', 'error.type': 'fault' });
  });

  it("join the host's trace: the root is a child of the active span, or of the parent given", () => {
    const hostProvider = new BasicTracerProvider();
    const request = hostProvider.getTracer('host').startSpan('handle request');
    const check = (spans: ReadableSpan[]) => {
      expect(spans[0]!.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(new Set([request.spanContext().traceId]));
    };
    const manager = new AsyncLocalContextManager();
    expect(context.setGlobalContextManager(manager)).toBe(true);
    try {
      check(context.with(traces.setSpan(context.active(), request), () => traceSpans(greet, { call: 'greet(Ann)', startTimeMs: Date.now() })));
    } finally {
      context.disable();
    }
    check(traceSpans(greet, { call: 'greet(Ann)', startTimeMs: Date.now(), parent: traces.setSpan(ROOT_CONTEXT, request) }));
    request.end();
  });

  it('take a W3C traceparent as the parent, and reject one that is not', () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    const spans = traceSpans(fib, { call: 'fib(10)', startTimeMs: Date.now(), parent: `00-${traceId}-${parentId}-01` });
    expect(spans[0]!.parentSpanContext).toMatchObject({ traceId, spanId: parentId, isRemote: true });
    expect(spans.every((s) => s.spanContext().traceId === traceId)).toBe(true);
    expect(() => traceSpans(fib, { call: 'fib(10)', startTimeMs: Date.now(), parent: '00-xyz' })).toThrow(UsageError);
    expect(() => traceSpans(fib, { call: 'fib(10)', startTimeMs: Date.now(), parent: `00-${'0'.repeat(32)}-${parentId}-01` })).toThrow(
      /^traceparent must be W3C's 00-.*, got '00-0{32}-00f067aa0ba902b7-01'$/,
    );
  });

  it('serialize as an OTLP/JSON ExportTraceServiceRequest', () => {
    const startTimeMs = Date.now();
    const spans = traceSpans(greet, { call: 'greet(Ann)', startTimeMs, serviceName: 'my-host', guest: 'demo' });
    const request = JSON.parse(toOtlpJson(spans));
    expect(request.resourceSpans).toHaveLength(1);
    const [resourceSpans] = request.resourceSpans;
    expect(resourceSpans.resource.attributes).toEqual(
      expect.arrayContaining([
        { key: 'service.name', value: { stringValue: 'my-host' } },
        { key: 'microscope.guest', value: { stringValue: 'demo' } },
      ]),
    );
    expect(resourceSpans.scopeSpans).toHaveLength(1);
    expect(resourceSpans.scopeSpans[0].scope.name).toBe('microscope');
    const json = resourceSpans.scopeSpans[0].spans;
    expect(json).toHaveLength(spans.length);
    const [root, ...children] = json;
    expect(root).toMatchObject({ name: 'greet(Ann)', startTimeUnixNano: String(BigInt(startTimeMs) * 1_000_000n) });
    expect(root.parentSpanId).toBeUndefined();
    for (const span of json) {
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(span.startTimeUnixNano).toMatch(/^\d+$/);
      expect(span.endTimeUnixNano).toMatch(/^\d+$/);
    }
    const ids = new Set(json.map((s: { spanId: string }) => s.spanId));
    for (const child of children) expect(ids.has(child.parentSpanId)).toBe(true);
    expect(json.find((s: { name: string }) => s.name === 'host print').attributes).toEqual(
      expect.arrayContaining([{ key: 'microscope.host.args', value: { arrayValue: { values: [{ stringValue: 'Hello, Ann!' }] } } }]),
    );
  });

  it('reach an OTLP/HTTP collector as JSON, and say why one refuses or is not there', async () => {
    const spans = traceSpans(fib, { call: 'fib(10)', startTimeMs: Date.now() });
    const received: Received[] = [];
    const accepting = await collector(200, received);
    const refusing = await collector(400, []);
    try {
      await sendOtlp(spans, accepting.url);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ method: 'POST', url: '/v1/traces', contentType: 'application/json' });
      expect(JSON.parse(received[0]!.body).resourceSpans[0].scopeSpans[0].spans).toHaveLength(spans.length);
      await expect(sendOtlp(spans, refusing.url)).rejects.toThrow(
        `can't send the trace to ${refusing.url}: the collector answered HTTP 400 Bad Request: {"message":"no such tenant"}`,
      );
    } finally {
      accepting.server.close();
      refusing.server.close();
    }
    // Nothing listens on a port just closed.
    const closed = await collector(200, []);
    await new Promise((resolve) => closed.server.close(resolve));
    // A wide timeout: the exporter retries a refused connection until it, then says why.
    await expect(sendOtlp(spans, closed.url, { timeoutMs: 3000 })).rejects.toThrow(
      new RegExp(`^can't send the trace to ${closed.url}: connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+$`),
    );
  });
});
