// The paused call's variables in the frame the Stack selected: its scopes, the watch
// expressions' values, and what changed since the stop before (by frame and expression, as
// VS Code marks them). Read again at every stop, frame selection and change of a value.
import { create } from 'zustand';

import type { WireScope, WireVariable } from '../../../native/common/protocol/messages';
import type { EngineClient } from '../api/engine_client';
import { useInspector } from './store';

/** A watch expression's value, or why it has none. */
export type WatchResult = { variable: WireVariable } | { error: string };

export interface VariablesState {
  /** Bumped by every read: expanded members read themselves again when it changes. */
  version: number;
  frame: number;
  scopes: WireScope[];
  /** Why the scopes couldn't be read. */
  error: string | null;
  watches: string[];
  /** By watch expression. */
  watchResults: Record<string, WatchResult>;

  /** Reads the scopes and the watches again, in the selected frame. */
  refresh(): Promise<void>;
  /** An array's elements from `start` (paged), a struct's members, a pointer's pointee. */
  children(variable: WireVariable, start?: number, count?: number): Promise<WireVariable[]>;
  /** Why `expression` wasn't set to `value` (a C expression), or null when it was. */
  setValue(expression: string, value: string): Promise<string | null>;
  /** Changed since the last stop: a value the stop before showed otherwise. */
  changed(variable: WireVariable): boolean;
  addWatch(expression: string): void;
  editWatch(index: number, expression: string): void;
  removeWatch(index: number): void;
}

const watchKey = 'microscope.watch';

function savedWatches(): string[] {
  try {
    const saved = JSON.parse(localStorage.getItem(watchKey) ?? '[]') as unknown;
    return Array.isArray(saved) ? saved.filter((w): w is string => typeof w === 'string') : [];
  } catch {
    return [];
  }
}

// What this stop showed and what the one before did, by "frame:expression"; kept out of
// the state, as nothing draws from them but the marks, read as the rows draw.
let seen = new Map<string, string>();
let before = new Map<string, string>();
const key = (frame: number, expression: string) => `${frame}:${expression}`;

function remember(frame: number, variables: WireVariable[]): WireVariable[] {
  for (const v of variables) seen.set(key(frame, v.expression), v.value);
  return variables;
}

const engine = (): EngineClient => {
  const client = useInspector.getState().client;
  if (!client) throw new Error('not connected to the engine');
  return client;
};

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const paused = () => useInspector.getState().debugging && useInspector.getState().stop?.reason !== 'exit';

export const useVariables = create<VariablesState>((set, get) => {
  const keepWatches = (watches: string[]) => {
    localStorage.setItem(watchKey, JSON.stringify(watches));
    set({ watches });
    void get().refresh();
  };

  return {
    version: 0,
    frame: 0,
    scopes: [],
    error: null,
    watches: savedWatches(),
    watchResults: {},

    async refresh() {
      const version = get().version + 1;
      const frame = useInspector.getState().selectedFrame;
      set({ version, frame });
      if (!paused()) {
        set({ scopes: [], error: null, watchResults: {} });
        return;
      }
      const watches = get().watches;
      const [scopes, results] = await Promise.all([
        engine()
          .request('variables.scopes', { frame })
          .then((s) => ({ scopes: s, error: null }))
          .catch((error: unknown) => ({ scopes: [], error: message(error) })),
        Promise.all(
          watches.map((expression) =>
            engine()
              .request('variables.evaluate', { expression, frame })
              .then((variable): WatchResult => ({ variable }))
              .catch((error: unknown): WatchResult => ({ error: message(error) })),
          ),
        ),
      ]);
      if (get().version !== version) return; // a later read is on its way
      for (const scope of scopes.scopes) remember(frame, scope.variables);
      remember(
        frame,
        results.flatMap((r) => ('variable' in r ? [r.variable] : [])),
      );
      set({ ...scopes, watchResults: Object.fromEntries(watches.map((w, i) => [w, results[i]!])) });
    },

    async children(variable, start, count) {
      const frame = get().frame;
      const paging = start !== undefined ? { start, count: count ?? 100 } : {};
      return remember(frame, await engine().request('variables.children', { expression: variable.expression, frame, ...paging }));
    },

    async setValue(expression, value) {
      const frame = get().frame;
      try {
        await engine().request('variables.set', { expression, value, frame });
      } catch (error) {
        return message(error);
      }
      // A variable may live in a register, in memory, in the frames' arguments: all read again.
      const inspector = useInspector.getState();
      const [registers, frames] = await Promise.all([engine().request('registers.get', {}), engine().request('stack.backtrace', {})]);
      const stop = useInspector.getState().stop;
      useInspector.setState({ frames, ...(stop ? { stop: { ...stop, registers } } : {}) });
      inspector.memoryChanged();
      await get().refresh();
      return null;
    },

    changed(variable) {
      const was = before.get(key(get().frame, variable.expression));
      return was !== undefined && was !== variable.value;
    },

    addWatch(expression) {
      if (expression.trim()) keepWatches([...get().watches, expression.trim()]);
    },

    editWatch(index, expression) {
      const watches = [...get().watches];
      if (expression.trim()) watches[index] = expression.trim();
      else watches.splice(index, 1);
      keepWatches(watches);
    },

    removeWatch(index) {
      keepWatches(get().watches.filter((_, i) => i !== index));
    },
  };
});

/** Reads the variables at every stop and frame selection; a new stop starts the marks anew. */
export function followStops(): () => void {
  return useInspector.subscribe((state, previous) => {
    if (state.stopCount !== previous.stopCount) {
      // A stop resumed from before its values were read: compare with the last ones shown.
      if (seen.size) before = seen;
      seen = new Map();
    } else if (state.selectedFrame === previous.selectedFrame && state.debugging === previous.debugging) return;
    void useVariables.getState().refresh();
  });
}
