// microscope trace --otlp: the call's spans as an OTLP/JSON file, or sent to a collector
// (a node:http server here) in the trace a --traceparent names. The CLI runs as a child
// process, as in cli.test.ts, but asynchronously: the collector answers from this one.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { projectRoot, testBackend } from '../../../helpers.js';

function microscope(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(projectRoot, 'dist/native/node/cli/main.js'), ...args], { encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

interface OtlpSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

function spansOf(json: string): OtlpSpan[] {
  return JSON.parse(json).resourceSpans[0].scopeSpans[0].spans;
}

/** A collector on 127.0.0.1 answering `status`, and the bodies it was sent. */
async function collector(status: number) {
  const bodies: { url?: string; contentType?: string; body: string }[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push({ url: request.url, contentType: request.headers['content-type'], body: Buffer.concat(chunks).toString() });
      response.writeHead(status).end(status === 200 ? '{}' : 'unauthorized');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, bodies, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces` };
}

const dir = mkdtempSync(join(tmpdir(), 'microscope-trace-otlp-'));
const traceId = '0af7651916cd43dd8448eb211c80319c';
const parentId = 'b7ad6b7169203331';
const servers: Server[] = [];
afterAll(() => servers.forEach((server) => server.close()));

describe('microscope trace --otlp', () => {
  it('writes fib(10) as an OTLP/JSON file: the call and its 177 fib calls, beside the Chrome trace', async () => {
    const file = join(dir, 'fib.otlp.json');
    const chrome = join(dir, 'fib.json');
    const { status, stdout, stderr } = await microscope('trace', 'demo', 'fib', '10', '--otlp', file, '--out', chrome, '--backend', testBackend);
    expect(status).toBe(0);
    expect(stdout).toBe('55\n');
    const summary = `177 function calls, 0 host calls, 1 exits in [0-9.]+ ms on ${testBackend}`;
    expect(stderr).toMatch(new RegExp(`^${chrome}: ${summary}\\n${file}: ${summary}, 178 spans in trace [0-9a-f]{32}\\n$`));
    expect(JSON.parse(readFileSync(chrome, 'utf8')).otherData.call).toBe('fib(10)');
    const request = JSON.parse(readFileSync(file, 'utf8'));
    expect(request.resourceSpans[0].resource.attributes).toEqual(
      expect.arrayContaining([
        { key: 'service.name', value: { stringValue: 'microscope' } },
        { key: 'microscope.guest', value: { stringValue: 'demo' } },
      ]),
    );
    const spans = spansOf(readFileSync(file, 'utf8'));
    expect(spans).toHaveLength(178);
    expect(spans[0]!.name).toBe('fib(10)');
    expect(spans[0]!.parentSpanId).toBeUndefined();
    expect(spans[0]!.attributes).toEqual(
      expect.arrayContaining([
        { key: 'microscope.function', value: { stringValue: 'fib' } },
        { key: 'microscope.args', value: { stringValue: '10' } },
        { key: 'microscope.backend', value: { stringValue: testBackend } },
        { key: 'microscope.outcome', value: { stringValue: '55' } },
      ]),
    );
    expect(spans.filter((s) => s.name === 'fib')).toHaveLength(177);
    expect(stderr).toContain(`in trace ${spans[0]!.traceId}\n`);
  });

  it('sends the spans to a collector URL, in the trace of --traceparent', async () => {
    const { server, bodies, url } = await collector(200);
    servers.push(server);
    const { status, stdout, stderr } = await microscope('trace', 'demo', 'greet', 'Ann', '--otlp', url, '--traceparent', `00-${traceId}-${parentId}-01`);
    expect({ status, stdout }).toEqual({ status: 0, stdout: 'Hello, Ann!\nHello, Ann!\n' });
    expect(stderr).toMatch(new RegExp(`^${url}: \\d+ function calls, 1 host calls, 2 exits in .*, \\d+ spans in trace ${traceId}\\n$`));
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ url: '/v1/traces', contentType: 'application/json' });
    const spans = spansOf(bodies[0]!.body);
    expect(spans[0]).toMatchObject({ name: 'greet(Ann)', traceId, parentSpanId: parentId });
    expect(spans.every((s) => s.traceId === traceId)).toBe(true);
    expect(spans.map((s) => s.name)).toContain('host print');
  });

  it('exits 2 when the collector refuses, naming the URL and the status', async () => {
    const { server, url } = await collector(401);
    servers.push(server);
    const { status, stderr } = await microscope('trace', 'demo', 'fib', '3', '--otlp', url);
    expect(status).toBe(2);
    expect(stderr).toBe(`usage: trace: can't send the trace to ${url}: the collector answered HTTP 401 Unauthorized: unauthorized\n`);
  });

  it('needs --out or --otlp, and --otlp for --traceparent; rejects a bad traceparent', async () => {
    expect(await microscope('trace', 'demo', 'fib', '3')).toMatchObject({
      status: 2,
      stderr: 'usage: trace: --out FILE.json or --otlp FILE.json|URL is required\n',
    });
    expect(await microscope('trace', 'demo', 'fib', '3', '--out', join(dir, 'x.json'), '--traceparent', `00-${traceId}-${parentId}-01`)).toMatchObject({
      status: 2,
      stderr: 'usage: trace: --traceparent needs --otlp\n',
    });
    expect(await microscope('trace', 'demo', 'fib', '3', '--otlp', join(dir, 'x.json'), '--traceparent', 'nonsense')).toMatchObject({
      status: 2,
      stderr: "usage: --traceparent must be W3C's 00-<32 hex digits>-<16 hex digits>-<2 hex digits>, got 'nonsense'\n",
    });
  });
});
