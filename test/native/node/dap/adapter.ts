// The adapter as VS Code runs it: `node dist/native/node/cli/main.js dap`, a real process,
// driven by Microsoft's DebugClient over its stdin and stdout (or a socket, with --port).
// Every event is queued as it comes, so a test takes them in order and misses none; and
// every byte of stdout is kept, to check that it holds DAP messages and nothing else.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { expect } from 'vitest';

import { projectRoot } from '../../../helpers.js';

export const mainJs = join(projectRoot, 'dist/native/node/cli/main.js');
export const demoSource = join(projectRoot, 'native/demo/demo.c');
export const sqliteSource = join(projectRoot, 'native/sqlite/sqlite.c');

/** The 1-based line of a source file that holds `text`. */
export function lineOf(path: string, text: string): number {
  const index = readFileSync(path, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(text));
  expect(index, text).toBeGreaterThanOrEqual(0);
  return index + 1;
}

export const demoLine = (text: string) => lineOf(demoSource, text);

const eventTypes = ['initialized', 'stopped', 'output', 'exited', 'terminated', 'invalidated', 'continued'] as const;
type EventType = (typeof eventTypes)[number];

// DebugClient spawns `runtime executable`, with no arguments for it; this one speaks over
// the streams of a `microscope dap` process the test spawned itself.
class StreamClient extends DebugClient {
  over(input: Readable, output: Writable): void {
    this.connect(input, output);
  }
}

export class Adapter {
  readonly client = new StreamClient(process.execPath, mainJs, 'microscope');
  readonly #queues = new Map<EventType, DebugProtocol.Event[]>();
  readonly #waiters = new Map<EventType, ((event: DebugProtocol.Event) => void)[]>();
  readonly #stdout: Buffer[] = [];
  stderr = '';
  /** What the adapter said when the call was paused at its entry. */
  launched = '';
  #child: ChildProcess | undefined;

  private constructor() {
    for (const type of eventTypes) {
      this.#queues.set(type, []);
      this.#waiters.set(type, []);
      this.client.on(type, (event: DebugProtocol.Event) => {
        const waiter = this.#waiters.get(type)!.shift();
        if (waiter) waiter(event);
        else this.#queues.get(type)!.push(event);
      });
    }
  }

  /** A `microscope dap` process on stdio. */
  static start(): Adapter {
    const adapter = new Adapter();
    const child = spawn(process.execPath, [mainJs, 'dap'], { stdio: ['pipe', 'pipe', 'pipe'] });
    adapter.#child = child;
    child.stdout.on('data', (chunk: Buffer) => adapter.#stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (adapter.stderr += chunk.toString()));
    adapter.client.over(child.stdout, child.stdin);
    return adapter;
  }

  /** A client of a `microscope dap --port` server. */
  static async connect(port: number): Promise<Adapter> {
    const adapter = new Adapter();
    await adapter.client.start(port);
    return adapter;
  }

  /** The next event of `type`, in the order they came. */
  next<T extends DebugProtocol.Event>(type: EventType): Promise<T> {
    const queued = this.#queues.get(type)!.shift();
    if (queued) return Promise.resolve(queued as T);
    return new Promise((resolve) => this.#waiters.get(type)!.push(resolve as (event: DebugProtocol.Event) => void));
  }

  /** Events of `type` that came and no test took. */
  pending(type: EventType): DebugProtocol.Event[] {
    return [...this.#queues.get(type)!];
  }

  /** initialize, launch, then `configure` (breakpoints) between `initialized` and configurationDone. */
  async launch(args: Record<string, unknown>, configure: () => Promise<unknown> = async () => undefined): Promise<DebugProtocol.InitializeResponse> {
    const initialize = await this.client.initializeRequest();
    await this.client.launchRequest({ ...args } as DebugProtocol.LaunchRequestArguments);
    await this.next('initialized');
    this.launched = (await this.next<DebugProtocol.OutputEvent>('output')).body.output;
    await configure();
    await this.client.configurationDoneRequest();
    return initialize;
  }

  /** The next stop: its event and the stack then. */
  async stopped(): Promise<{ body: DebugProtocol.StoppedEvent['body']; frames: DebugProtocol.StackFrame[] }> {
    const event = await this.next<DebugProtocol.StoppedEvent>('stopped');
    const trace = await this.client.stackTraceRequest({ threadId: event.body.threadId ?? 1 });
    return { body: event.body, frames: trace.body.stackFrames };
  }

  /** The next stop's top frame as [name, line]. */
  async stoppedAt(): Promise<[string, number]> {
    const { frames } = await this.stopped();
    return [frames[0]!.name, frames[0]!.line];
  }

  /** The next `count` output events' text, with their category. */
  async outputs(count: number): Promise<[string, string][]> {
    const texts: [string, string][] = [];
    while (texts.length < count) {
      const event = await this.next<DebugProtocol.OutputEvent>('output');
      texts.push([event.body.category ?? 'console', event.body.output]);
    }
    return texts;
  }

  /** Disconnects, waits for the process to end, and checks that stdout held only DAP messages. */
  async stop(): Promise<void> {
    await this.client.disconnectRequest({});
    const child = this.#child;
    if (!child) return; // a --port server closes the connection after a disconnect
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    expect(child.exitCode, this.stderr).toBe(0);
    expect(() => dapMessages(Buffer.concat(this.#stdout))).not.toThrow();
  }
}

/** Splits a byte stream into DAP messages; throws at the first byte that isn't one. */
export function dapMessages(bytes: Buffer): unknown[] {
  const messages: unknown[] = [];
  let at = 0;
  while (at < bytes.length) {
    const header = /^Content-Length: (\d+)\r\n\r\n/.exec(bytes.subarray(at, at + 40).toString('latin1'));
    if (!header) throw new Error(`not a DAP message at byte ${at}: ${JSON.stringify(bytes.subarray(at, at + 40).toString())}`);
    at += header[0].length;
    messages.push(JSON.parse(bytes.subarray(at, at + Number(header[1])).toString('utf8')));
    at += Number(header[1]);
  }
  return messages;
}
