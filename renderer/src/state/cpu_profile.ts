// The CPU profile view's state: the CPU profiles of this session (recorded with a Latency
// run, opened from one, or imported from a file), the one shown, the pair compared, and
// the settings of the next recording. A recording is a Latency run with `cpu` (profile.run):
// its run joins the Latency view's, its progress and Cancel are the Latency view's.
import { create } from 'zustand';

import type { CpuProfile, CpuProfileExportFormat } from '../../../native/common/cpu_profile';
import type { EngineClient } from '../api/engine_client';
import { profileLabel } from '../panels/profile/profile_tables';
import { recordProblems } from '../panels/profile/record_settings';
import { download } from './download';
import { type ProfileMode, useLatency } from './latency';
import { showFunctionCode, useCodeOverlay } from './code_overlay';
import { useSource } from './source';
import { useInspector } from './store';

export type CpuProfileKind = CpuProfile['kind'];

export interface CpuProfileSettings {
  mode: ProfileMode;
  /** Calls to profile, or seconds to run for when `byDuration`. */
  iterations: number;
  seconds: number;
  byDuration: boolean;
  kind: CpuProfileKind;
  /** Samples a second, for a sampled profile. */
  rateHz: number;
  /** '' is the loaded sandbox's. */
  backend: '' | 'emulated' | 'kvm';
}

export interface KeptProfile {
  /** The engine's id for it (cpuProfile.get, cpuProfile.export). */
  id: number;
  label: string;
  profile: CpuProfile;
  imported: boolean;
}

export type CpuProfileView = 'profile' | 'compare';

export interface CpuProfileState {
  profiles: KeptProfile[];
  shownId: number | null;
  view: CpuProfileView;
  baselineId: number | null;
  comparisonId: number | null;
  /** The user picked the pair: new profiles no longer replace it. */
  pairChosen: boolean;
  settings: CpuProfileSettings;
  recording: boolean;

  configure(change: Partial<CpuProfileSettings>): void;
  /** Profiles `fn` as the settings say, with its latency; shows the profile. Refused while recordProblems finds any. */
  record(fn: string, args: string[]): Promise<void>;
  /** Shows profile `id` (fetched from the engine the first time) in the CPU profile tab. */
  open(id: number): Promise<void>;
  /** A profile saved as its own JSON (Export → Microscope). */
  importFile(file: File): Promise<void>;
  exportAs(id: number, format: CpuProfileExportFormat): Promise<void>;
  remove(id: number): void;
  showView(view: CpuProfileView): void;
  choose(pair: { baselineId?: number | null; comparisonId?: number | null }): void;
  /** Opens a function of the shown profile in the Source and Disassembly views, with its counts laid over them. */
  openFunction(fn: string, file: string): Promise<void>;
}

function attempt<T>(work: (engine: EngineClient) => Promise<T>): Promise<T | undefined> {
  return useInspector.getState().attempt(work);
}

/** The kind a backend can record: exact needs the emulated one, which sees every instruction. */
export function recordableKind(kind: CpuProfileKind, backend: string | undefined): CpuProfileKind {
  return backend === 'emulated' ? kind : 'sampled';
}

export const useCpuProfiles = create<CpuProfileState>((set, get) => {
  // The newest two are compared until the user picks a pair.
  const keep = (kept: KeptProfile) => {
    const profiles = [...get().profiles.filter((p) => p.id !== kept.id), kept];
    const newest = { baselineId: profiles.at(-2)?.id ?? null, comparisonId: kept.id };
    set({ profiles, shownId: kept.id, ...(get().pairChosen ? {} : newest) });
  };
  const fetchProfile = async (id: number) => {
    const profile = await attempt((engine) => engine.request('cpuProfile.get', { id }));
    if (profile) keep({ id, label: profileLabel(profile), profile, imported: false });
  };

  return {
    profiles: [],
    shownId: null,
    view: 'profile',
    baselineId: null,
    comparisonId: null,
    pairChosen: false,
    settings: { mode: 'restore', iterations: 100, seconds: 1, byDuration: false, kind: 'exact', rateHz: 1000, backend: '' },
    recording: false,

    configure(change) {
      set({ settings: { ...get().settings, ...change } });
    },

    async record(fn, args) {
      const { settings } = get();
      const backend = settings.backend || useInspector.getState().guest?.backend;
      const kind = recordableKind(settings.kind, backend);
      // The form says why.
      if (Object.keys(recordProblems(settings, kind === 'sampled')).length) return;
      // The function and arguments are the Latency view's: one place to type them.
      useLatency.getState().configure({ function: fn, args: args.join(', ') });
      // Running as the Latency view's run: its progress events, its Cancel (and the Functions panel's).
      useLatency.setState({ running: true, progress: null });
      useInspector.setState({ running: true, bottomTab: 'CPU profile' });
      set({ recording: true, view: 'profile' });
      const run = await attempt((engine) =>
        engine.request('profile.run', {
          function: fn,
          args,
          mode: settings.mode,
          ...(settings.byDuration ? { durationMs: Math.max(1, Math.round(settings.seconds * 1000)) } : { iterations: settings.iterations }),
          // Every call is profiled, so none are warm-up.
          warmup: 0,
          ...(settings.backend ? { backend: settings.backend } : {}),
          cpu: kind === 'sampled' ? { kind, rateHz: settings.rateHz } : { kind },
        }),
      );
      useLatency.setState({ running: false, progress: null });
      useInspector.setState({ running: false });
      useInspector.getState().memoryChanged();
      if (run) useLatency.setState((latency) => ({ runs: [...latency.runs, run], shown: [...latency.shown, run.id] }));
      if (run?.cpuProfileId) await fetchProfile(run.cpuProfileId);
      set({ recording: false });
    },

    async open(id) {
      useInspector.getState().showTab('CPU profile');
      set({ view: 'profile' });
      if (get().profiles.some((p) => p.id === id)) set({ shownId: id });
      else await fetchProfile(id);
    },

    async importFile(file) {
      const text = await file.text();
      const imported = await attempt((engine) => engine.request('cpuProfile.import', { json: text }));
      if (!imported) return;
      const profile = await attempt((engine) => engine.request('cpuProfile.get', { id: imported.id }));
      if (profile) keep({ id: imported.id, label: profileLabel(profile), profile, imported: true });
    },

    async exportAs(id, format) {
      const file = await attempt((engine) => engine.request('cpuProfile.export', { id, format }));
      if (!file) return;
      if (file.encoding === 'base64')
        download(file.name, new Blob([Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0))], { type: 'application/octet-stream' }));
      else download(file.name, file.data, file.name.endsWith('.folded') ? 'text/plain' : 'application/json');
    },

    remove(id) {
      const profiles = get().profiles.filter((p) => p.id !== id);
      const pick = (current: number | null) => (current === id ? null : current);
      set({
        profiles,
        shownId: get().shownId === id ? (profiles.at(-1)?.id ?? null) : get().shownId,
        baselineId: pick(get().baselineId),
        comparisonId: pick(get().comparisonId),
      });
      const { overlay, clear } = useCodeOverlay.getState();
      if (overlay?.kind === 'profile' && overlay.profileId === id) clear();
    },

    showView(view) {
      set({ view });
    },

    choose(pair) {
      set({ ...pair, pairChosen: true });
    },

    async openFunction(fn, file) {
      const kept = get().profiles.find((p) => p.id === get().shownId);
      if (!kept) return;
      useCodeOverlay.getState().showProfile(kept.id, kept.label, kept.profile);
      // Its first line the profile saw: near where it starts (the engine doesn't know where a function begins).
      const lines = kept.profile.locations.flatMap((l) => l.frames.filter((f) => f.function === fn && f.file === file && f.line > 0).map((f) => f.line));
      if (file) void useSource.getState().show(file, lines.length ? lines.reduce((a, b) => Math.min(a, b)) : undefined);
      await showFunctionCode(fn);
    },
  };
});
