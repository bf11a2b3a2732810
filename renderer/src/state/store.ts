// The inspector's state (zustand): the engine connection, the loaded guest, the last
// call's result, the debugged call's last stop and what the panels show of it. Actions
// talk to the engine through the EngineClient and put what it answers here.
import { create } from 'zustand';

import type { WireCallReport, WireGuest, WireBreakpoint, WireFrame, WireInstruction, WireStop, WireWatchpoint } from '../../../native/common/protocol/messages';
import { EngineError, type EngineClient } from '../api/engine_client';
import { recordsCalls } from './record_choice';

/** step and over are instruction steps; line-over and line-into step by source line. */
export type ResumeHow = 'continue' | 'step' | 'over' | 'out' | 'line-over' | 'line-into';
export type WatchKind = WireWatchpoint['kind'];
/** The panels that share the bottom of the middle column, as tabs. */
export type BottomTab = 'Memory' | 'Debug Console' | 'Call trace' | 'Snapshots' | 'Latency' | 'CPU profile';
/** What makes a breakpoint conditional or a logpoint (empty: none), as breakpoint.add takes them. */
export type BreakpointOptions = Partial<Pick<WireBreakpoint, 'condition' | 'hitCondition' | 'logMessage'>>;

/** A guest to load: a path on the engine's machine, or an ELF's bytes (base64) sent to it. */
export type GuestSource = { path: string } | { bytes: string; name: string } | { bundled: 'demo' | 'sqlite' };

/** The last Call or Debug of a function: its report, or why the engine refused it. */
export interface CallRecord {
  function: string;
  args: string[];
  result?: WireCallReport;
  error?: string;
}

export interface InspectorState {
  client: EngineClient | null;
  engine: { state: 'connecting' | 'running' | 'stopped'; detail?: string };
  guest: WireGuest | null;
  recent: string[];
  lastCall: CallRecord | null;
  /** A call or a resume is running in the engine. */
  running: boolean;
  /** A call is being debugged (between its entry and its exit). */
  debugging: boolean;
  stop: WireStop | null;
  /** Counts the stops: a new one is a new stop, not the same one with a register changed. */
  stopCount: number;
  /** The registers at the stop before, to mark what the last step changed. */
  previousRegisters: Record<string, string> | null;
  breakpoints: WireBreakpoint[];
  watchpoints: WireWatchpoint[];
  disassembly: WireInstruction[];
  frames: WireFrame[];
  /** Where the memory panel looks (hex), and the frame the stack panel selected. */
  memoryAddress: string;
  selectedFrame: number;
  bottomTab: BottomTab;
  /** Bumped when guest memory may have changed other than by a stop (a call, a restore). */
  memoryVersion: number;
  error: string | null;
  /** Why the last resume or restart failed: the toolbar says it beside the stop. */
  debugError: string | null;
  /** Why the last guest couldn't be loaded: the Guest panel says it. */
  loadError: string | null;

  connect(client: EngineClient): void;
  /** Loads a guest; none: the demo. */
  load(source?: GuestSource): Promise<void>;
  call(fn: string, args: string[]): Promise<void>;
  /** Paused at its entry; recorded (to go back in) where record_choice.ts says so. */
  debug(fn: string, args: string[]): Promise<void>;
  resume(how: ResumeHow): Promise<void>;
  /** A stop time travel asks for (a reverse step, a position), shown as any other stop; also after the call's end. */
  travel(request: (engine: EngineClient) => Promise<WireStop>): Promise<void>;
  pause(): Promise<void>;
  stopDebugging(): Promise<void>;
  restart(): Promise<void>;
  cancelCall(): Promise<void>;
  /** These two answer why the engine refused, for the place it was asked to say so; null when done. */
  toggleBreakpoint(address: string): Promise<string | null>;
  /** A breakpoint on a source line: cleared if one resolved to it, else set at 'FILE:LINE'. */
  toggleLineBreakpoint(file: string, line: number): Promise<string | null>;
  addBreakpoint(location: string, options?: BreakpointOptions): Promise<string | null>;
  /** New condition, hit condition and log message: the engine makes it anew at its location, as enabled as it was. */
  editBreakpoint(id: number, options: BreakpointOptions): Promise<string | null>;
  removeBreakpoint(id: number): Promise<void>;
  enableBreakpoint(id: number, enabled: boolean): Promise<void>;
  addWatchpoint(address: string, length: number, kind: WatchKind): Promise<void>;
  removeWatchpoint(id: number): Promise<void>;
  enableWatchpoint(id: number, enabled: boolean): Promise<void>;
  showTab(tab: BottomTab): void;
  /** Guest memory changed: the memory view reads it again. */
  memoryChanged(): void;
  /** Runs an engine request, putting its error in the state instead of throwing. */
  attempt<T>(work: (client: EngineClient) => Promise<T>): Promise<T | undefined>;
  /** Why the register wasn't changed, or null when it was. */
  setRegister(name: string, value: string): Promise<string | null>;
  showMemory(address: string): void;
  selectFrame(index: number): Promise<void>;
  restartEngine(): Promise<void>;
  clearError(): void;
}

const recentKey = 'microscope.recent';

function readRecent(): string[] {
  try {
    return JSON.parse(localStorage.getItem(recentKey) ?? '[]') as string[];
  } catch {
    return [];
  }
}

function message(error: unknown): string {
  return error instanceof EngineError || error instanceof Error ? error.message : String(error);
}

/** The options that say something: breakpoint.add takes no empty condition. */
function given(options: BreakpointOptions): BreakpointOptions {
  return Object.fromEntries(Object.entries(options).flatMap(([key, text]) => (text?.trim() ? [[key, text.trim()]] : []))) as BreakpointOptions;
}

/** The function a symbol like "fib+0x1c" is in, to disassemble it from its start. */
function functionOf(symbol: string): string | null {
  const name = symbol.split('+')[0]!;
  return /^[A-Za-z_.$][\w.$]*$/.test(name) ? name : null;
}

export const useInspector = create<InspectorState>((set, get) => {
  const client = () => {
    const c = get().client;
    if (!c) throw new Error('not connected to the engine');
    return c;
  };

  // Runs an engine request, putting its error in the state instead of throwing.
  async function attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      set({ error: message(error) });
      return undefined;
    }
  }

  // A change to the breakpoints or watchpoints, then both lists as the engine has them. A
  // refusal is answered (`inline`: only answered, for its caller to show where it was asked).
  async function changePoints(change: (engine: EngineClient) => Promise<unknown>, inline = false): Promise<string | null> {
    try {
      await change(client());
      const [breakpoints, watchpoints] = await Promise.all([client().request('breakpoint.list', {}), client().request('watchpoint.list', {})]);
      set({ breakpoints, watchpoints });
      return null;
    } catch (error) {
      if (!inline) set({ error: message(error) });
      return message(error);
    }
  }

  // A resume or a restart; its refusal goes to the toolbar, beside the stop it left.
  async function resumeWith(request: (engine: EngineClient) => Promise<WireStop>): Promise<void> {
    set({ running: true, debugError: null });
    let stop: WireStop;
    try {
      stop = await request(client());
    } catch (error) {
      set({ running: false, debugError: message(error) });
      return;
    }
    set({ running: false });
    await attempt(() => showStop(stop));
  }

  // After every stop: the code around RIP, the frames, the breakpoints' hit counts.
  async function showStop(stop: WireStop): Promise<void> {
    const previous = get().stop;
    const ended = stop.reason === 'exit';
    set({
      stop,
      stopCount: get().stopCount + 1,
      previousRegisters: previous ? previous.registers.values : null,
      debugging: !ended,
      selectedFrame: 0,
      ...(ended ? {} : { memoryAddress: stop.registers.values.rsp ?? get().memoryAddress }),
    });
    if (ended) {
      set({ frames: [] });
      return;
    }
    const name = functionOf(stop.symbol);
    // A step within the code on screen shows at once; other code is read first.
    const shown = get().disassembly;
    const [disassembly, frames, breakpoints, watchpoints] = await Promise.all([
      shown.some((i) => i.address === stop.rip) ? shown : client().request('code.disassemble', { location: name ?? stop.rip, count: 64 }),
      client().request('stack.backtrace', {}),
      client().request('breakpoint.list', {}),
      client().request('watchpoint.list', {}),
    ]);
    set({ disassembly, frames, breakpoints, watchpoints });
  }

  return {
    client: null,
    engine: { state: 'connecting' },
    guest: null,
    recent: readRecent(),
    lastCall: null,
    running: false,
    debugging: false,
    stop: null,
    stopCount: 0,
    previousRegisters: null,
    breakpoints: [],
    watchpoints: [],
    disassembly: [],
    frames: [],
    memoryAddress: '0x100000',
    selectedFrame: 0,
    bottomTab: 'Memory',
    memoryVersion: 0,
    error: null,
    debugError: null,
    loadError: null,

    connect(engine) {
      set({ client: engine });
      engine.onEvent((event) => {
        if (event.event !== 'engine') return;
        set({ engine: { state: event.state, ...(event.detail ? { detail: event.detail } : {}) } });
        if (event.state === 'stopped') set({ running: false, debugging: false });
      });
    },

    // A guest that doesn't load leaves the one before loaded; the Guest panel says why.
    async load(source) {
      let guest: WireGuest;
      try {
        guest = await client().request('guest.load', source ?? {});
      } catch (error) {
        set({ loadError: message(error) });
        return;
      }
      set({ loadError: null });
      // Only paths can be opened again; sent bytes are gone once loaded.
      const recent = source && 'bytes' in source ? get().recent : [guest.path, ...get().recent.filter((p) => p !== guest.path)].slice(0, 8);
      localStorage.setItem(recentKey, JSON.stringify(recent));
      set({ guest, recent, lastCall: null, stop: null, debugging: false, breakpoints: [], watchpoints: [], disassembly: [], frames: [] });
    },

    // A call's outcome, or the engine's refusal, goes beside the call: the one before is gone.
    async call(fn, args) {
      set({ running: true, lastCall: null });
      let lastCall: CallRecord;
      try {
        lastCall = { function: fn, args, result: await client().request('call.run', { function: fn, args }) };
      } catch (error) {
        lastCall = { function: fn, args, error: message(error) };
      }
      set({ running: false, memoryVersion: get().memoryVersion + 1, lastCall });
    },

    async debug(fn, args) {
      set({ running: true, stop: null, previousRegisters: null, lastCall: null, debugError: null });
      try {
        const record = recordsCalls(get().guest);
        const stop = await client().request('debug.start', { function: fn, args, ...(record ? { record } : {}) });
        set({ running: false });
        await attempt(() => showStop(stop));
      } catch (error) {
        set({ running: false, lastCall: { function: fn, args, error: message(error) } });
      }
    },

    async resume(how) {
      if (!get().debugging || get().running) return;
      await resumeWith((engine) => engine.request('debug.resume', { how }));
    },

    // No `debugging` needed: an ended call's recording can still be gone back in.
    async travel(request) {
      if (get().running) return;
      await resumeWith(request);
    },

    async pause() {
      await attempt(() => client().request('debug.pause', {}));
    },

    async stopDebugging() {
      if (get().running) await attempt(() => client().request('debug.pause', {}));
      await attempt(() => client().request('debug.end', {}));
      // Nothing of the ended call stays marked: no current line, registers or frames.
      set({ debugging: false, stop: null, previousRegisters: null, frames: [], selectedFrame: 0 });
    },

    async restart() {
      if (!get().debugging || get().running) return;
      set({ previousRegisters: null });
      await resumeWith((engine) => engine.request('debug.restart', {}));
    },

    async cancelCall() {
      await attempt(() => client().request('call.cancel', {}));
    },

    toggleBreakpoint(address) {
      const existing = get().breakpoints.find((b) => b.address === address);
      return changePoints(
        (engine) => (existing ? engine.request('breakpoint.remove', { id: existing.id }) : engine.request('breakpoint.add', { location: address })),
        true,
      );
    },

    toggleLineBreakpoint(file, line) {
      const existing = get().breakpoints.find((b) => b.file === file && b.line === line);
      return changePoints(
        (engine) => (existing ? engine.request('breakpoint.remove', { id: existing.id }) : engine.request('breakpoint.add', { location: `${file}:${line}` })),
        true,
      );
    },

    addBreakpoint(location, options = {}) {
      return changePoints((engine) => engine.request('breakpoint.add', { location, ...given(options) }), true);
    },

    // Made anew before the old one goes: a condition the engine refuses leaves the old one as it was.
    editBreakpoint(id, options) {
      const old = get().breakpoints.find((b) => b.id === id);
      if (!old) return Promise.resolve(`no breakpoint ${id}`);
      return changePoints(async (engine) => {
        const made = await engine.request('breakpoint.add', { location: old.location, ...given(options) });
        await engine.request('breakpoint.remove', { id });
        if (!old.enabled) await engine.request('breakpoint.enable', { id: made.id, enabled: false });
      }, true);
    },

    async removeBreakpoint(id) {
      await changePoints((engine) => engine.request('breakpoint.remove', { id }));
    },

    async enableBreakpoint(id, enabled) {
      await changePoints((engine) => engine.request('breakpoint.enable', { id, enabled }));
    },

    async addWatchpoint(address, length, kind) {
      await changePoints((engine) => engine.request('watchpoint.add', { location: address, length, kind }));
    },

    async removeWatchpoint(id) {
      await changePoints((engine) => engine.request('watchpoint.remove', { id }));
    },

    async enableWatchpoint(id, enabled) {
      await changePoints((engine) => engine.request('watchpoint.enable', { id, enabled }));
    },

    showTab(tab) {
      set({ bottomTab: tab });
    },

    memoryChanged() {
      set({ memoryVersion: get().memoryVersion + 1 });
    },

    attempt(work) {
      return attempt(() => work(client()));
    },

    async setRegister(name, value) {
      try {
        const registers = await client().request('registers.set', { name, value });
        const stop = get().stop;
        if (stop) set({ stop: { ...stop, registers } });
        return null;
      } catch (error) {
        return message(error);
      }
    },

    showMemory(address) {
      set({ memoryAddress: address });
    },

    async selectFrame(index) {
      const frame = get().frames[index];
      if (!frame) return;
      // Its locals are at and above its stack pointer.
      set({ selectedFrame: index, memoryAddress: frame.rsp });
      const name = functionOf(frame.symbol);
      const disassembly = await attempt(() => client().request('code.disassemble', { location: name ?? frame.rip, count: 64 }));
      if (disassembly) set({ disassembly });
    },

    async restartEngine() {
      const guest = await attempt(() => client().request('engine.restart', {}));
      set({ engine: { state: 'running' }, running: false, debugging: false, stop: null, frames: [], ...(guest ? { guest } : {}) });
      await changePoints(async () => undefined);
    },

    clearError() {
      set({ error: null });
    },
  };
});
