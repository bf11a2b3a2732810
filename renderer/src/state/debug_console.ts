// The Debug Console's lines, in the order they happened: expressions evaluated in the
// selected frame with their values or errors, the logpoints' messages each stop brings,
// and what the guest printed by the time its call ended. Also the expressions typed, for
// the input's history.
import { create } from 'zustand';

import type { WireVariable } from '../../../native/common/protocol/messages';
import { useInspector } from './store';

export type ConsoleLine =
  | { kind: 'input'; text: string }
  | { kind: 'result'; variable: WireVariable }
  | { kind: 'error'; text: string }
  | { kind: 'log'; text: string }
  | { kind: 'output'; text: string };

/** Lines kept: older ones go first. */
const maxLines = 5000;

export interface ConsoleState {
  lines: ConsoleLine[];
  /** Expressions typed, the latest last. */
  history: string[];
  evaluate(expression: string): Promise<void>;
  append(...lines: ConsoleLine[]): void;
  clear(): void;
}

export const useConsole = create<ConsoleState>((set, get) => ({
  lines: [],
  history: [],

  async evaluate(expression) {
    const text = expression.trim();
    if (!text) return;
    const history = [...get().history.filter((h) => h !== text), text].slice(-100);
    set({ history });
    get().append({ kind: 'input', text });
    const { client, selectedFrame, debugging } = useInspector.getState();
    if (!client || !debugging) return get().append({ kind: 'error', text: 'no call is paused: debug one to evaluate in its frames' });
    try {
      const variable = await client.request('variables.evaluate', { expression: text, frame: selectedFrame });
      get().append({ kind: 'result', variable });
    } catch (error) {
      get().append({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  },

  append(...lines) {
    set({ lines: [...get().lines, ...lines].slice(-maxLines) });
  },

  clear() {
    set({ lines: [] });
  },
}));

/** Puts each stop's logpoint messages, and the ended call's output, in the console. */
export function followConsole(): () => void {
  return useInspector.subscribe((state, previous) => {
    const stop = state.stop;
    if (state.stopCount === previous.stopCount || !stop) return;
    const lines: ConsoleLine[] = (stop.logs ?? []).map((log) => ({ kind: 'log', text: log.text }));
    if (stop.reason === 'exit' && stop.output) lines.push({ kind: 'output', text: stop.output });
    if (lines.length) useConsole.getState().append(...lines);
  });
}
