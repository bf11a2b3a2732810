// The Latency panel's state: the profile runs of this session (made here or imported),
// which are shown together, the settings of the next run, and the one under way.
import { create } from 'zustand';

import type { ProfileProgress, WireProfileRun } from '../../../native/common/protocol/messages';
import type { EngineClient } from '../api/engine_client';
import { settingsProblems } from '../panels/latency/profile_settings';
import { useInspector } from './store';
import { download } from './download';

export type ProfileMode = WireProfileRun['profile']['mode'];

export interface ProfileSettings {
  /** The function and its arguments as typed (comma-separated). */
  function: string;
  args: string;
  mode: ProfileMode;
  /** Calls to count, or seconds to run for when `byDuration`. */
  iterations: number;
  seconds: number;
  byDuration: boolean;
  warmup: number;
  /** '' is the loaded sandbox's. */
  backend: '' | 'emulated' | 'kvm';
  keepRows: boolean;
}

export interface LatencyState {
  runs: WireProfileRun[];
  /** The runs drawn, the first of them the baseline of the ratios. */
  shown: number[];
  settings: ProfileSettings;
  running: boolean;
  progress: ProfileProgress | null;

  configure(change: Partial<ProfileSettings>): void;
  /** Refused (the Latency tab shown, saying why) while settingsProblems finds any. */
  run(fn: string, args: string[]): Promise<void>;
  cancel(): Promise<void>;
  /** A profile file (`microscope bench --out`, or this panel's export). */
  importFile(file: File): Promise<void>;
  toggle(id: number, shown: boolean): void;
  remove(id: number): void;
  exportJson(id: number): void;
  exportCsv(id: number): Promise<void>;
  /** The encoded HdrHistogram ("HISTF…"), as other HdrHistogram tools read it. */
  exportHistogram(id: number): void;
}

function attempt<T>(work: (engine: EngineClient) => Promise<T>): Promise<T | undefined> {
  return useInspector.getState().attempt(work);
}

export const useLatency = create<LatencyState>((set, get) => {
  const add = (run: WireProfileRun) => {
    set({ runs: [...get().runs, run], shown: [...get().shown, run.id] });
    // When the chart shows it: the Latency panel marks 'profile-rendered' after painting.
    performance.mark('profile-received');
  };

  return {
    runs: [],
    shown: [],
    settings: { function: '', args: '', mode: 'restore', iterations: 10_000, seconds: 5, byDuration: false, warmup: 1000, backend: '', keepRows: false },
    running: false,
    progress: null,

    configure(change) {
      set({ settings: { ...get().settings, ...change } });
    },

    async run(fn, args) {
      set({ settings: { ...get().settings, function: fn, args: args.join(', ') } });
      const { settings } = get();
      // Not with calls = 0 (and the like), whoever asks: the Latency panel says why.
      if (Object.keys(settingsProblems(settings)).length) {
        useInspector.setState({ bottomTab: 'Latency' });
        return;
      }
      set({ running: true, progress: null });
      useInspector.setState({ running: true, bottomTab: 'Latency' });
      const run = await attempt((engine) =>
        engine.request('profile.run', {
          function: fn,
          args,
          mode: settings.mode,
          ...(settings.byDuration ? { durationMs: Math.round(settings.seconds * 1000) } : { iterations: settings.iterations }),
          warmup: settings.warmup,
          ...(settings.backend ? { backend: settings.backend } : {}),
          ...(settings.keepRows && !settings.byDuration ? { keepRows: true } : {}),
        }),
      );
      set({ running: false, progress: null });
      useInspector.setState({ running: false });
      useInspector.getState().memoryChanged();
      if (run) add(run);
    },

    async cancel() {
      await attempt((engine) => engine.request('profile.cancel', {}));
    },

    async importFile(file) {
      const run = await attempt(async (engine) => engine.request('profile.import', { json: await file.text() }));
      if (run) add(run);
    },

    toggle(id, shown) {
      const others = get().shown.filter((s) => s !== id);
      set({ shown: shown ? [...others, id] : others });
    },

    remove(id) {
      set({ runs: get().runs.filter((r) => r.id !== id), shown: get().shown.filter((s) => s !== id) });
    },

    exportJson(id) {
      const run = get().runs.find((r) => r.id === id);
      if (run) download(`${run.profile.function}-${run.profile.mode}-${run.profile.backend}.json`, JSON.stringify(run.profile, null, 1));
    },

    exportHistogram(id) {
      const run = get().runs.find((r) => r.id === id);
      if (run) download(`${run.profile.function}-${run.profile.mode}-${run.profile.backend}.histogram.txt`, run.profile.histogram + '\n', 'text/plain');
    },

    async exportCsv(id) {
      const file = await attempt((engine) => engine.request('profile.csv', { id }));
      if (file) download(file.name, file.csv, 'text/csv');
    },
  };
});

/** Shows the engine's progress events for the profile under way (App calls it once, on connecting). */
export function followProfileProgress(client: EngineClient): void {
  client.onEvent((event) => {
    if (event.event === 'profile' && useLatency.getState().running) useLatency.setState({ progress: event });
  });
}
