// A GDB remote stub over one debugged call: gdb (or a front end built on it) connects
// over TCP and drives the call as if it were a process. The call is one thread; when it
// ends, gdb sees the process exit with the function's value as its status.
//
// Packets served: qSupported, qXfer:features:read (target.xml), ?, g/G, p/P, m/M/X, c,
// s, vCont (c and s), Z0/z0 and Z1/z1 (breakpoints), Z2-Z4/z2-z4 (write, read and access
// watchpoints), k, vKill, D; an empty reply to anything else, as the protocol asks.
//
// A recorded call (debug(..., { record: true })) can also go backwards: bs and bc, which
// gdb's reverse-stepi, -nexti, -step, -next, -finish and -continue are made of. Its end
// is then a stop at the end of the history (replaylog:end), not an exit, so gdb can go
// back from there; going on from the end exits. Going back to its start stops there
// (replaylog:begin).
//
// One stub serves one connection. Detaching (D) or losing the connection leaves the call
// paused where it is, with none of this gdb's breakpoints, for the next connection; only
// the call's end or a kill (k, vKill) ends the session.
import type { DebugSession, Stop } from '../debug.js';
import { GuestFault, MicroscopeError } from '../errors.js';
import type { Sandbox } from '../sandbox.js';
import { frame, fromHex, PacketReader, toHex, unescapeBinary } from './packets.js';
import { decodeRegister, decodeRegisters, encodeRegister, encodeRegisters, targetXml } from './registers.js';

// Signals gdb knows a stop by.
const SIGINT = 2,
  SIGILL = 4,
  SIGTRAP = 5,
  SIGABRT = 6,
  SIGFPE = 8,
  SIGKILL = 9,
  SIGSEGV = 11;

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

function faultSignal(error: MicroscopeError | undefined): number {
  if (!(error instanceof GuestFault)) return error?.kind === 'abort' ? SIGABRT : SIGKILL;
  switch (error.vector) {
    case '#DE':
    case '#MF':
    case '#XM':
      return SIGFPE;
    case '#UD':
      return SIGILL;
    case '#BP':
    case '#DB':
      return SIGTRAP;
    default:
      return SIGSEGV;
  }
}

/** Where gdb is: a TCP socket, or a serial line (a tty). */
export interface Connection {
  write(data: Buffer | string): void;
  end(): void;
  on(event: 'data', listener: (chunk: Buffer) => void): void;
}

export interface StubEvents {
  /** The call ended: its stop (reason 'exit'). A recorded call's end is reached first as the end of its history, which gdb can go back from. */
  exited?(stop: Stop): void;
  /** gdb was told the process exited: nothing is left to serve but a kill or a detach. */
  over?(): void;
  /** gdb killed the call (k, vKill): the session is over. */
  killed?(): void;
  /** gdb detached (D): the call stays paused for another gdb. */
  detached?(): void;
}

export class GdbStub {
  readonly #sandbox: Sandbox;
  readonly #session: DebugSession;
  readonly #connection: Connection;
  #closed = false;
  readonly #events: StubEvents;
  readonly #reader = new PacketReader();
  #queue: Promise<void> = Promise.resolve();
  #running = false;
  #ended = false;
  readonly #recorded: boolean;
  #reachedEnd = false; // a recorded call's end: reported once as its exit
  // Breakpoint and watchpoint ids by gdb's (type, address, kind).
  readonly #points = new Map<string, { id: number; watch: boolean }>();

  constructor(sandbox: Sandbox, session: DebugSession, connection: Connection, events: StubEvents = {}) {
    this.#sandbox = sandbox;
    this.#session = session;
    this.#connection = connection;
    this.#events = events;
    this.#recorded = session.recording !== null;
    connection.on('data', (chunk: Buffer) => this.#receive(chunk));
  }

  #receive(chunk: Buffer): void {
    for (const incoming of this.#reader.push(chunk)) {
      if (incoming.kind === 'interrupt') {
        if (this.#running) this.#session.pause();
        continue;
      }
      if (incoming.kind === 'bad') {
        this.#connection.write('-');
        continue;
      }
      this.#connection.write('+');
      const packet = incoming.data.toString('latin1');
      // One packet at a time: a resume answers only when the guest stops.
      this.#queue = this.#queue.then(() => this.#serve(packet, incoming.data));
    }
  }

  #reply(data: string): void {
    if (!this.#closed) this.#connection.write(frame(data));
  }

  async #serve(packet: string, raw: Buffer): Promise<void> {
    try {
      const reply = await this.#answer(packet, raw);
      if (reply !== undefined) this.#reply(reply);
    } catch (error) {
      // A request the engine refuses (memory outside the guest, a bad register): gdb's
      // generic error. Anything else is a bug worth seeing.
      if (!(error instanceof MicroscopeError) && !(error instanceof Error && /hex|register/.test(error.message))) throw error;
      this.#reply('E01');
    }
  }

  async #answer(packet: string, raw: Buffer): Promise<string | undefined> {
    if (this.#ended && !/^(k|vKill|D|\?|qSupported|qXfer)/.test(packet)) return 'E01';
    switch (packet[0]) {
      case '?':
        return this.#ended ? this.#exitReply(this.#session.stop) : this.#stopReply(this.#session.stop);
      case 'b':
        if (!this.#recorded || (packet !== 'bs' && packet !== 'bc')) return '';
        return this.#resume(() => (packet === 'bs' ? this.#session.stepBackInstruction() : this.#session.reverseContinue()), true);
      case 'g':
        return encodeRegisters(this.#sandbox.registers());
      case 'G':
        this.#sandbox.setRegisters(decodeRegisters(packet.slice(1)));
        return 'OK';
      case 'p':
        return encodeRegister(this.#sandbox.registers(), Number.parseInt(packet.slice(1), 16)) ?? 'E01';
      case 'P': {
        const [regnum, value] = packet.slice(1).split('=') as [string, string];
        this.#sandbox.setRegisters(decodeRegister(Number.parseInt(regnum, 16), value));
        return 'OK';
      }
      case 'm': {
        const [address, length] = packet
          .slice(1)
          .split(',')
          .map((n) => BigInt(`0x${n}`)) as [bigint, bigint];
        return toHex(this.#sandbox.readMemory(address, Number(length)));
      }
      case 'M': {
        const [where, data] = packet.slice(1).split(':') as [string, string];
        this.#sandbox.writeMemory(BigInt(`0x${where.split(',')[0]}`), fromHex(data));
        return 'OK';
      }
      case 'X': {
        const colon = raw.indexOf(0x3a /* : */);
        const address = BigInt(`0x${packet.slice(1, packet.indexOf(','))}`);
        const data = unescapeBinary(raw.subarray(colon + 1));
        if (data.length) this.#sandbox.writeMemory(address, data);
        return 'OK';
      }
      case 'c':
        return this.#resume(() => this.#session.continue());
      case 's':
        return this.#resume(() => this.#session.stepInstruction());
      case 'Z':
      case 'z':
        return this.#point(packet);
      case 'k':
        this.#kill();
        return undefined;
      case 'D':
        this.#reply('OK');
        this.#detach();
        return undefined;
    }
    if (packet.startsWith('qSupported')) {
      const reverse = this.#recorded ? ';ReverseStep+;ReverseContinue+' : '';
      return `PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+;vContSupported+${reverse}`;
    }
    if (packet.startsWith('qXfer:features:read:target.xml:')) {
      const [offset, length] = packet
        .slice('qXfer:features:read:target.xml:'.length)
        .split(',')
        .map((n) => Number.parseInt(n, 16)) as [number, number];
      const part = targetXml.slice(offset, offset + length);
      return (offset + length >= targetXml.length ? 'l' : 'm') + part;
    }
    if (packet === 'vCont?') return 'vCont;c;C;s;S';
    if (packet.startsWith('vCont;')) {
      // One thread: its first action is the one.
      const action = packet.slice(6).split(';')[0]!.split(':')[0]!;
      if (action[0] === 's' || action[0] === 'S') return this.#resume(() => this.#session.stepInstruction());
      return this.#resume(() => this.#session.continue());
    }
    if (packet.startsWith('vKill')) {
      this.#reply('OK');
      this.#kill();
      return undefined;
    }
    if (packet.startsWith('H')) return 'OK';
    if (packet === 'qAttached') return '1';
    if (packet === 'qC') return 'QC1';
    if (packet === 'qfThreadInfo') return 'm1';
    if (packet === 'qsThreadInfo') return 'l';
    return '';
  }

  // Z/z TYPE,ADDRESS,KIND: 0-1 breakpoints, 2 write, 3 read, 4 access watchpoints.
  #point(packet: string): string {
    const [type, addressText, kindText] = packet.slice(1).split(',') as [string, string, string];
    const key = `${type},${addressText},${kindText}`;
    const address = BigInt(`0x${addressText}`);
    if (packet[0] === 'Z') {
      if (this.#points.has(key)) return 'OK';
      if (type === '0' || type === '1') {
        this.#points.set(key, { id: this.#sandbox.addBreakpoint(address).id, watch: false });
        return 'OK';
      }
      const kind = type === '2' ? 'write' : type === '3' ? 'read' : type === '4' ? 'access' : undefined;
      if (!kind) return '';
      this.#points.set(key, { id: this.#sandbox.addWatchpoint(address, Number.parseInt(kindText, 16), kind).id, watch: true });
      return 'OK';
    }
    const point = this.#points.get(key);
    if (!point) return type <= '4' ? 'OK' : '';
    this.#points.delete(key);
    if (point.watch) this.#sandbox.removeWatchpoint(point.id);
    else this.#sandbox.removeBreakpoint(point.id);
    return 'OK';
  }

  async #resume(run: () => Promise<Stop>, backwards = false): Promise<string> {
    if (this.#reachedEnd && !backwards && !this.#session.active) {
      // Going on from the end of a recorded call: now it exits.
      this.#ended = true;
      this.#events.over?.();
      return this.#exitReply(this.#session.stop);
    }
    this.#running = true;
    let stop: Stop;
    try {
      stop = await run();
    } finally {
      this.#running = false;
    }
    if (stop.reason === 'exit') {
      if (!this.#reachedEnd) this.#events.exited?.(stop);
      if (this.#recorded) {
        this.#reachedEnd = true;
        return this.#stopReply(stop);
      }
      this.#ended = true;
      this.#events.over?.();
      return this.#exitReply(stop);
    }
    return this.#stopReply(stop);
  }

  #stopReply(stop: Stop): string {
    switch (stop.reason) {
      case 'pause':
        return `T${hex2(SIGINT)}thread:1;`;
      case 'start':
        return `T${hex2(SIGTRAP)}thread:1;replaylog:begin;`;
      case 'exit':
        return `T${hex2(SIGTRAP)}thread:1;replaylog:end;`; // a recorded call's end
      case 'fault':
        return `T${hex2(faultSignal(stop.error))}thread:1;`;
      case 'breakpoint':
        return `T${hex2(SIGTRAP)}thread:1;swbreak:;`;
      case 'watchpoint': {
        const watch = stop.watch!;
        const point = this.#sandbox.watchpoints().find((w) => w.id === watch.watchpoint);
        const name = point?.kind === 'read' ? 'rwatch' : point?.kind === 'access' ? 'awatch' : 'watch';
        return `T${hex2(SIGTRAP)}thread:1;${name}:${(point?.address ?? watch.address).toString(16)};`;
      }
      default:
        return `T${hex2(SIGTRAP)}thread:1;`;
    }
  }

  // The process exits with the function's value (its low 8 bits), or dies of the signal
  // of its fault.
  #exitReply(stop: Stop): string {
    if (stop.error) return `X${hex2(faultSignal(stop.error))}`;
    const value = stop.value;
    const status = typeof value === 'bigint' ? Number(value & 0xffn) : typeof value === 'number' ? value & 0xff : value === true ? 1 : 0;
    return `W${hex2(status)}`;
  }

  #kill(): void {
    if (!this.#ended) this.#session.end();
    this.#ended = true;
    this.#closed = true;
    this.#connection.end();
    this.#events.killed?.();
  }

  #detach(): void {
    this.disconnected();
    this.#connection.end();
    this.#events.detached?.();
  }

  /**
   * The connection is gone (detached, closed or dropped): the call stays as it is, paused
   * (a running one is paused now), without the breakpoints and watchpoints this gdb set.
   */
  disconnected(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#running) this.#session.pause();
    for (const point of this.#points.values()) {
      try {
        if (point.watch) this.#sandbox.removeWatchpoint(point.id);
        else this.#sandbox.removeBreakpoint(point.id);
      } catch {
        // already gone with the call
      }
    }
    this.#points.clear();
  }

  /** The call has ended (this gdb or an earlier one saw its exit). */
  get ended(): boolean {
    return this.#ended || !this.#session.active;
  }
}
