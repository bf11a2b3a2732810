// The debugger's Node API (engine side: native/engine/core/debug). A DebugSession is one call of
// a guest function, started paused at its function's entry and then continued, stepped,
// paused and restarted; every step resolves to a Stop that says why it stopped and holds
// the whole register state. Breakpoints and watchpoints belong to the sandbox and last
// across sessions.
import type { MicroscopeError } from './errors.js';
import { UsageError } from './errors.js';
import type { LastWrite, RecordingInfo, ReverseHow } from './time_travel.js';
import type { GuestValue, NativeRegisterState, RegisterState } from './types.js';

/** 'start': going back reached the recording's start; nothing before it is held. */
export type StopReason = 'entry' | 'step' | 'breakpoint' | 'watchpoint' | 'pause' | 'fault' | 'exit' | 'start';

export interface WatchHit {
  watchpoint: number;
  /** Where the access was (on KVM, the first byte of it that the watched range holds). */
  address: bigint;
  size: number;
  access: 'read' | 'write';
  /** The instruction that made the access, where it is known. */
  instruction?: bigint;
  instructionSymbol?: string;
  /** The whole watched range before and after the instruction. */
  oldValue: Uint8Array;
  newValue: Uint8Array;
}

export interface Stop {
  reason: StopReason;
  rip: bigint;
  /** "fib+0x1c". */
  symbol: string;
  file?: string;
  line?: number;
  /** reason 'breakpoint': its id. */
  breakpoint?: number;
  /** In a recorded call: the instructions it had run, from its first. */
  position?: number;
  /** Logpoints' messages printed on the way to this stop (and conditions that couldn't be evaluated). */
  logs?: BreakpointLog[];
  watch?: WatchHit;
  /** reason 'exit', when the function returned. */
  value?: GuestValue;
  /** reason 'fault' (the call ends with it at the next resume), or 'exit' when the call failed. */
  error?: MicroscopeError;
  /** 'fault' and 'exit': what the guest printed. */
  output?: string;
  registers: RegisterState;
}

export interface NativeStop extends Omit<Stop, 'registers'> {
  registers: NativeRegisterState;
}

export interface BreakpointLog {
  breakpoint: number;
  text: string;
}

export interface BreakpointOptions {
  /** A C expression in the frame it stops in: "n == 2", "rax == 3", "p->next != 0". */
  condition?: string;
  /** On the count of times the condition held: "3" (from the third on), "== 3", ">= 3", "% 2". */
  hitCondition?: string;
  /** A logpoint: this message, with {expressions} evaluated, is logged instead of stopping: "fib({n})". */
  logMessage?: string;
}

export interface Breakpoint {
  id: number;
  /** The first of `addresses`. */
  address: bigint;
  /** Every address it covers: a source line's statements, ascending. */
  addresses: bigint[];
  /** "" for none. */
  condition: string;
  hitCondition: string;
  logMessage: string;
  enabled: boolean;
  /** Times it was reached with its condition holding. */
  hits: number;
  /** Its source line (the line a line breakpoint moved to, when the asked one has no code). */
  file?: string;
  line?: number;
}

export type WatchKind = 'read' | 'write' | 'access';

export interface Watchpoint {
  id: number;
  address: bigint;
  length: number;
  kind: WatchKind;
  enabled: boolean;
  hits: number;
}

export interface Instruction {
  address: bigint;
  size: number;
  bytes: Uint8Array;
  mnemonic: string;
  operands: string;
  symbol: string;
  file?: string;
  line?: number;
  /** A direct call or jump: where it goes. */
  target?: bigint;
  targetSymbol?: string;
}

export interface Frame {
  rip: bigint;
  rsp: bigint;
  symbol: string;
  file?: string;
  line?: number;
  /** The C function (or inlined function) its code is in, where DWARF says. */
  function?: string;
  /** Its arguments' values, shortened: fib(n=3). */
  args: { name: string; value: string }[];
}

/** A value as a debugger shows it: a variable, an expression's result, a member or element. */
export interface Variable {
  name: string;
  /** As gdb prints it: "3", "97 'a'", "0x1040 \"hi\"", "{x = 1, y = 2}", "<optimized out>". */
  value: string;
  /** In C: "int", "struct Point *", "char [16]". */
  type: string;
  /** An expression that names it (DAP's evaluateName): "p->next", "a[3]". */
  expression: string;
  /** It has members, elements or a pointee: children(expression) lists them. */
  expandable: boolean;
  /** Where it is in guest memory, when it is there, and how many bytes it takes there. */
  address?: bigint;
  size?: number;
  /** An array's elements. */
  count?: number;
  /** Why it has no value: "optimized out", "rbx isn't recovered in frame 2 ...". */
  unavailable?: string;
}

export interface Scope {
  name: 'Arguments' | 'Locals' | 'Globals';
  variables: Variable[];
}

export interface NativeScopes {
  function: string;
  arguments: Variable[];
  locals: Variable[];
  globals: Variable[];
}

/**
 * Where code is: an address (a bigint, a number, or "0x..."), a symbol ("fib",
 * "fib+0x10"), or a source line ("demo.c:17").
 */
export type Location = bigint | number | string;

/** A source line as a breakpoint takes it: the line asked for, or the next one with code. */
export interface ResolvedLine {
  /** The line table's name for the file, usually an absolute path. */
  file: string;
  requested: number;
  /** The line that has code: `requested`, or the first after it. */
  line: number;
  /** Where each of its statements starts (optimized code splits a line, inlining copies it), ascending. */
  addresses: bigint[];
}

/** A file of the guest's line tables, with the lines where a statement starts. */
export interface SourceFile {
  file: string;
  lines: number[];
}

export interface LocationResolver {
  symbolAddress(name: string): bigint | undefined;
  resolveLine(file: string, line: number): ResolvedLine;
}

/** The file and line a location names, when it is a source line ("demo.c:17"). */
export function sourceLineOf(location: Location): { file: string; line: number } | undefined {
  const match = typeof location === 'string' ? /^(.+):(\d+)$/.exec(location.trim()) : null;
  return match ? { file: match[1]!, line: Number(match[2]) } : undefined;
}

/** The address a location names; a UsageError that says why when it names none. */
export function resolveLocation(resolver: LocationResolver, location: Location): bigint {
  if (typeof location === 'bigint') return location;
  if (typeof location === 'number') {
    if (!Number.isSafeInteger(location) || location < 0) throw usage(`${location} is not an address`);
    return BigInt(location);
  }
  const text = location.trim();
  if (/^0x[0-9a-f]+$/i.test(text)) return BigInt(text);
  const line = sourceLineOf(text);
  if (line) return resolver.resolveLine(line.file, line.line).addresses[0]!;
  const symbol = /^([A-Za-z_.$][\w.$]*)(?:\+(0x[0-9a-f]+|\d+))?$/i.exec(text);
  if (symbol) {
    const address = resolver.symbolAddress(symbol[1]!);
    if (address === undefined) throw usage(`the guest has no symbol '${symbol[1]}'`);
    return address + (symbol[2] ? BigInt(symbol[2]) : 0n);
  }
  throw usage(`'${location}' is no location: use an address, a symbol (fib, fib+0x10) or a source line (demo.c:17)`);
}

function usage(message: string): UsageError {
  return new UsageError({ kind: 'usage', message });
}

const flagBits = { cf: 0, pf: 2, af: 4, zf: 6, sf: 7, tf: 8, if: 9, df: 10, of: 11 } as const;

/** RFLAGS decoded into its flags. */
export function withFlags(registers: NativeRegisterState): RegisterState {
  const rflags = registers.rflags;
  const bit = (n: number) => ((rflags >> BigInt(n)) & 1n) === 1n;
  return {
    ...registers,
    flags: {
      cf: bit(flagBits.cf),
      pf: bit(flagBits.pf),
      af: bit(flagBits.af),
      zf: bit(flagBits.zf),
      sf: bit(flagBits.sf),
      tf: bit(flagBits.tf),
      if: bit(flagBits.if),
      df: bit(flagBits.df),
      of: bit(flagBits.of),
      iopl: Number((rflags >> 12n) & 3n),
    },
  };
}

export function stopFromNative(stop: NativeStop): Stop {
  return { ...stop, registers: withFlags(stop.registers) };
}

/** What a session needs of its sandbox's debugger (addon.ts's NativeDebugger). */
export interface DebugTarget extends LocationResolver {
  resume(how: 'continue' | 'step' | 'over' | 'out' | 'to' | 'line-over' | 'line-into', target?: bigint): Promise<NativeStop>;
  restart(): Promise<NativeStop>;
  reverse(how: ReverseHow): Promise<NativeStop>;
  goTo(position: number): Promise<NativeStop>;
  lastWrite(address: bigint, length: number): Promise<LastWrite>;
  lastRegisterWrite(name: string): Promise<LastWrite>;
  recording(): RecordingInfo | null;
  evaluate(expression: string, frame: number): Variable;
  pause(): void;
  end(): void;
  readonly active: boolean;
}

/** One debugged call (Sandbox.debug). */
export class DebugSession {
  #stop: Stop;
  readonly #target: DebugTarget;

  constructor(target: DebugTarget, first: Stop) {
    this.#target = target;
    this.#stop = first;
  }

  /** The last stop. */
  get stop(): Stop {
    return this.#stop;
  }

  /** Until the call has ended (a stop with reason 'exit', or end()). */
  get active(): boolean {
    return this.#target.active;
  }

  continue(): Promise<Stop> {
    return this.#resume(() => this.#target.resume('continue'));
  }

  /** One instruction. */
  stepInstruction(): Promise<Stop> {
    return this.#resume(() => this.#target.resume('step'));
  }

  /** One instruction; a `call` runs to its return. */
  stepOver(): Promise<Stop> {
    return this.#resume(() => this.#target.resume('over'));
  }

  /**
   * To the next source line, as gdb's `next`: a call runs to its return, a return finishes
   * the caller's line, a loop's next turn on the same line is a new line. Where the guest
   * has no line, one instruction (over a call).
   */
  next(): Promise<Stop> {
    return this.#resume(() => this.#target.resume('line-over'));
  }

  /** As next(), but into a called function that has lines (not the SDK's thunks), stopping at its entry. */
  stepIn(): Promise<Stop> {
    return this.#resume(() => this.#target.resume('line-into'));
  }

  /** To the return of the function the guest is in. */
  stepOut(): Promise<Stop> {
    return this.#resume(() => this.#target.resume('out'));
  }

  runTo(location: Location): Promise<Stop> {
    return this.#resume(() => this.#target.resume('to', resolveLocation(this.#target, location)));
  }

  /** The same call again, from the sandbox's last snapshot, stopped at its entry. */
  restart(): Promise<Stop> {
    return this.#resume(() => this.#target.restart());
  }

  // ---- Time travel, in a call debugged with { record: true } ----

  /** What the recording holds (null when the call isn't recorded). */
  get recording(): RecordingInfo | null {
    return this.#target.recording();
  }

  /** Back one instruction (gdb's reverse-stepi). */
  stepBackInstruction(): Promise<Stop> {
    return this.#resume(() => this.#target.reverse('step'));
  }

  /** Back one instruction, and over a call that returned to here (reverse-nexti). */
  stepBackOver(): Promise<Stop> {
    return this.#resume(() => this.#target.reverse('over'));
  }

  /** To the start of the line before, in this frame (reverse-next). */
  stepBack(): Promise<Stop> {
    return this.#resume(() => this.#target.reverse('line-over'));
  }

  /** As stepBack(), but into the last line of a function that line called (reverse-step). */
  stepBackIn(): Promise<Stop> {
    return this.#resume(() => this.#target.reverse('line-into'));
  }

  /** To the call that entered the function the guest is in (reverse-finish). */
  stepBackOut(): Promise<Stop> {
    return this.#resume(() => this.#target.reverse('out'));
  }

  /** Back to the last breakpoint or watchpoint hit before now, or to the recording's start (reverse-continue). */
  reverseContinue(): Promise<Stop> {
    return this.#resume(() => this.#target.reverse('continue'));
  }

  /** To any position of the recording: back, or forward up to its end. */
  goTo(position: number): Promise<Stop> {
    return this.#resume(() => this.#target.goTo(position));
  }

  /** The instruction that last wrote any byte of [address, address + length) before now. */
  async lastWrite(address: bigint, length = 1): Promise<LastWrite> {
    return this.#target.lastWrite(address, length);
  }

  /** The instruction that last wrote a register ("rax", "xmm0", "rflags"; not rip), with its values before and after. */
  async lastRegisterWrite(name: string): Promise<LastWrite> {
    return this.#target.lastRegisterWrite(name);
  }

  /** The last write of a variable or any lvalue in memory ("total", "p->next", "a[3]"), in frame `frame`. */
  async lastWriteOf(expression: string, frame = 0): Promise<LastWrite> {
    const variable = this.#target.evaluate(expression, frame);
    if (variable.address === undefined || !variable.size) {
      throw usage(`'${expression}' is not in guest memory${variable.unavailable ? `: ${variable.unavailable}` : ''}`);
    }
    return this.#target.lastWrite(variable.address, variable.size);
  }

  /** Stops the resume under way (reason 'pause'); from a timer or a host function. */
  pause(): void {
    this.#target.pause();
  }

  /** Ends the call; the sandbox is back at its last snapshot and can call again. */
  end(): void {
    this.#target.end();
  }

  async #resume(run: () => Promise<NativeStop>): Promise<Stop> {
    this.#stop = stopFromNative(await run());
    return this.#stop;
  }
}
