// Time travel's types (engine side: native/engine/core/debug/recording.h, time_travel.cpp):
// a debugged call recorded as it runs, so that it can be stepped and run backwards,
// gone to at any position, and asked who last wrote a byte. A position is the number of
// instructions the call had run, from its first one.

/** How big a recording may grow and how often it keeps a checkpoint. */
export interface RecordingOptions {
  /** Instructions between checkpoints (default 200,000): going anywhere replays at most this many. */
  checkpointInterval?: number;
  /** Bytes a recording may hold (default 512 MiB); past it the oldest part is dropped. */
  sizeLimit?: number;
}

/** The reverse of a forward resume: gdb's reverse-stepi, -nexti, -next, -step, -finish and -continue. */
export type ReverseHow = 'step' | 'over' | 'line-over' | 'line-into' | 'out' | 'continue';

/** A position of note on the call's timeline. */
export interface RecordedEvent {
  kind: 'host-call' | 'breakpoint' | 'watchpoint' | 'fault';
  position: number;
  /** A breakpoint's or watchpoint's id. */
  id?: number;
  /** A host call's function. */
  function?: string;
}

/** What a recording holds. */
export interface RecordingInfo {
  /** The earliest position it can go to (above 0 once the oldest part was dropped). */
  start: number;
  /** The furthest position the call reached: before it a resume replays, from it on it runs live. */
  end: number;
  /** Where the call is now. */
  position: number;
  /** The call has ended (at `end`). */
  ended: boolean;
  /** The oldest part was dropped to stay within `sizeLimit`. */
  dropped: boolean;
  bytes: number;
  sizeLimit: number;
  checkpoints: number;
  checkpointInterval: number;
  events: RecordedEvent[];
}

/** The last write of a range before now. */
export interface LastWrite {
  /** False when nothing the recording holds wrote it. */
  found: boolean;
  position?: number;
  /** The instruction that wrote it, and where in the source it is. */
  instruction?: bigint;
  instructionSymbol?: string;
  file?: string;
  line?: number;
  /** The whole range, before and after the write. */
  oldValue?: Uint8Array;
  newValue?: Uint8Array;
}
