// A call's trace (trace.ts) as OpenTelemetry spans: a root span for the call, a child span
// for each guest function and host call, nested as they ran, exits as events; written as
// OTLP/JSON or sent to a collector over OTLP/HTTP. The root span is a child of the host's
// active span (or of a W3C traceparent), so the guest's spans join the host's trace.
import { context as contexts, defaultTextMapGetter, ROOT_CONTEXT, SpanStatusCode, trace as traces } from '@opentelemetry/api';
import type { Attributes, Context, HrTime, Span } from '@opentelemetry/api';
import { addHrTimes, ExportResultCode, millisToHrTime, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_CODE_FUNCTION_NAME, ATTR_ERROR_TYPE, ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

import { UsageError } from './errors.js';
import type { CallTrace, TraceEvent } from './trace.js';
import { formatValue } from './value_text.js';

export interface TraceSpansOptions {
  /** The traced call as `name(args)`, "fib(20)": the root span's name, its function and arguments. */
  call: string;
  /** When the call started, in milliseconds since the epoch (Date.now()); the trace's offsets count from it. */
  startTimeMs: number;
  /** The host's context, whose active span becomes the root's parent, or a W3C traceparent; context.active() by default. */
  parent?: Context | string;
  /** The resource's service.name; "microscope" by default. */
  serviceName?: string;
  /** The guest's name ("demo", "app.elf"), a resource attribute. */
  guest?: string;
}

/** Keeps every span the provider starts, in the order they start (the root first). */
class SpanRecorder implements SpanProcessor {
  readonly spans: ReadableSpan[] = [];
  onStart(span: ReadableSpan): void {
    this.spans.push(span);
  }
  onEnd(): void {}
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/** The context of a W3C traceparent ("00-<trace id>-<parent span id>-<flags>"), as the propagator extracts it. */
export function traceparentContext(traceparent: string): Context {
  const extracted = new W3CTraceContextPropagator().extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter);
  if (!traces.getSpanContext(extracted)) {
    throw new UsageError({ kind: 'usage', message: `traceparent must be W3C's 00-<32 hex digits>-<16 hex digits>-<2 hex digits>, got '${traceparent}'` });
  }
  return extracted;
}

/** The trace's spans, ended, the root first: hand them to toOtlpJson or sendOtlp. */
export function traceSpans(trace: CallTrace, options: TraceSpansOptions): ReadableSpan[] {
  const recorder = new SpanRecorder();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName ?? 'microscope', ...(options.guest && { 'microscope.guest': options.guest }) }),
    // Every call asked for is exported, whatever the parent's sampled flag or OTEL_TRACES_SAMPLER say.
    sampler: new AlwaysOnSampler(),
    // Exits are events; a call can take many more than the SDK's default 128 (the trace holds up to a million).
    spanLimits: { eventCountLimit: 1_000_000 },
    spanProcessors: [recorder],
  });
  const tracer = provider.getTracer('microscope');
  const start = millisToHrTime(options.startTimeMs);
  // A fresh HrTime each time: the SDK keeps the one it is given.
  const at = (ns: number): HrTime => {
    const whole = Math.max(0, Math.round(ns));
    return addHrTimes(start, [Math.floor(whole / 1e9), whole % 1e9]);
  };
  const parent = typeof options.parent === 'string' ? traceparentContext(options.parent) : (options.parent ?? contexts.active());

  const [, name = options.call, args] = /^([^(]*)\((.*)\)$/s.exec(options.call) ?? [];
  const root = tracer.startSpan(options.call, { startTime: at(0), attributes: rootAttributes(trace, name, args) }, parent);
  if (trace.error) root.setStatus({ code: SpanStatusCode.ERROR, message: `${trace.error.name}: ${trace.error.message}` });

  // The functions open around the current event, innermost last, with their ends.
  const open: { span: Span; endNs: number }[] = [];
  const close = (depth: number) => {
    while (open.length > depth) {
      const { span, endNs } = open.pop()!;
      span.end(at(endNs));
    }
  };
  for (const event of trace.events) {
    close(event.depth);
    const around = open.at(-1)?.span ?? root;
    if (event.kind === 'exit') {
      around.addEvent(`exit ${event.name}`, { 'microscope.exit.reason': event.name }, at(event.startNs));
      continue;
    }
    const within = traces.setSpan(parent, around);
    const span = tracer.startSpan(
      event.kind === 'host' ? `host ${event.name}` : event.name,
      { startTime: at(event.startNs), attributes: eventAttributes(event) },
      within,
    );
    if (event.kind === 'host') {
      if (event.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: event.error });
      span.end(at(event.startNs + event.durationNs));
    } else {
      open.push({ span, endNs: event.startNs + event.durationNs });
    }
  }
  close(0);
  root.end(at(trace.durationNs));
  return recorder.spans;
}

function rootAttributes(trace: CallTrace, name: string, args: string | undefined): Attributes {
  return {
    'microscope.function': name,
    ...(args !== undefined && { 'microscope.args': args }),
    'microscope.backend': trace.backend,
    'microscope.outcome': trace.error ? `${trace.error.name}: ${trace.error.message}` : formatValue(trace.value),
    ...(trace.error && { [ATTR_ERROR_TYPE]: trace.error.kind }),
    ...(trace.truncated && { 'microscope.truncated': true }),
  };
}

function eventAttributes(event: TraceEvent): Attributes {
  if (event.kind === 'function') {
    return {
      [ATTR_CODE_FUNCTION_NAME]: event.name,
      ...(event.address !== undefined && { 'microscope.address': `0x${event.address.toString(16)}` }),
      ...(event.arguments !== undefined && { 'microscope.arguments': event.arguments }),
    };
  }
  return {
    'microscope.host.function': event.name,
    'microscope.host.args': (event.args ?? []).map(formatValue),
    ...(event.error === undefined
      ? event.result !== undefined && { 'microscope.host.result': formatValue(event.result) }
      : { 'microscope.host.error': event.error }),
  };
}

/** The spans as an OTLP/JSON ExportTraceServiceRequest, the body an OTLP/HTTP collector takes. */
export function toOtlpJson(spans: ReadableSpan[]): string {
  return new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans));
}

/**
 * Sends the spans to an OTLP/HTTP collector as JSON (url: "http://localhost:4318/v1/traces");
 * resolves once the collector took them. Unreachable collectors are retried until the timeout.
 */
export async function sendOtlp(spans: ReadableSpan[], url: string, options: { timeoutMs?: number } = {}): Promise<void> {
  const exporter = new OTLPTraceExporter({ url, timeoutMillis: options.timeoutMs ?? 10_000 });
  try {
    const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
    if (result.code !== ExportResultCode.SUCCESS) throw new Error(`can't send the trace to ${url}: ${refusal(result.error)}`, { cause: result.error });
  } finally {
    await exporter.shutdown();
  }
}

/** Why the exporter failed: the collector's HTTP status and answer, or the network's error. */
function refusal(error: Error | undefined): string {
  if (!error) return 'the exporter gave no reason';
  const { code, data } = error as Error & { code?: number | string; data?: string };
  if (typeof code === 'number') return `the collector answered HTTP ${code}${error.message ? ` ${error.message}` : ''}${data ? `: ${data.trim()}` : ''}`;
  return error.message || String(code ?? error.name);
}
