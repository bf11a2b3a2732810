// The Latency panel's runs, in the engine process: profiles made here (on the loaded
// sandbox, or on a new one of the same guest on another backend) and profiles imported
// from files, each with its chart data binned here, next to the histogram, so the
// renderer draws a run of millions of calls from a few hundred points. A run may keep its
// calls one by one for the CSV export.
import { UsageError } from '../api/errors.js';
import { decode, logBins, percentileCurve } from '../api/latency_histogram.js';
import { cpuProfile } from '../api/cpu_profile/record.js';
import { profile, type IterationRow, type Profile, type Progress } from '../api/profile.js';
import { csvHeader, csvRow, parseProfile } from '../api/profile_file.js';
import { Sandbox } from '../api/sandbox.js';
import type { ArgumentValue } from '../api/types.js';
import type { Params, ProfileProgress, WireProfileRun } from '../../common/protocol/messages.js';
import type { CpuProfiles } from './cpu_profiles.js';

const usage = (message: string) => new UsageError({ kind: 'usage', message });

export function labelOf(p: Profile): string {
  return `${p.function}(${p.args.join(', ')}) ${p.mode} · ${p.backend}`;
}

export class ProfileRuns {
  readonly #runs = new Map<number, { run: WireProfileRun; rows: string[] | null }>();
  #nextId = 1;
  #abort: AbortController | undefined;

  constructor(
    private readonly emit: (progress: ProfileProgress) => void,
    readonly cpuProfiles: CpuProfiles,
    private readonly guestPath: () => string | undefined,
  ) {}

  /** Profiles `name` on `sandbox`, or on a new sandbox of `elf` when another backend is asked for. */
  async run(sandbox: Sandbox, elf: Uint8Array, args: ArgumentValue[], params: Params<'profile.run'>): Promise<WireProfileRun> {
    if (this.#abort) throw usage('a profile is running already');
    const other = params.backend !== undefined && params.backend !== sandbox.backend;
    const abort = new AbortController();
    this.#abort = abort;
    let target = sandbox;
    try {
      if (other) target = await Sandbox.create(elf, { backend: params.backend! });
      const rows: string[] | null = params.keepRows ? [csvHeader] : null;
      const options = {
        mode: params.mode,
        ...(params.iterations !== undefined ? { iterations: params.iterations } : { durationMs: params.durationMs! }),
        ...(params.warmup !== undefined ? { warmup: params.warmup } : {}),
        argsText: params.args,
        signal: abort.signal,
        onProgress: (progress: Progress) => this.emit({ event: 'profile', ...progress }),
        ...(rows ? { onIteration: (row: IterationRow) => rows.push(csvRow(row)) } : {}),
      };
      if (!params.cpu) return this.#keep(await profile(target, params.function, args, options), false, rows, null);
      const { cpu, latency } = await cpuProfile(target, params.function, args, { ...options, ...params.cpu, guest: this.guestPath() });
      return this.#keep(latency, false, rows, this.cpuProfiles.keep(cpu));
    } finally {
      if (target !== sandbox) target.dispose();
      this.#abort = undefined;
    }
  }

  /** Ends the profile under way; it resolves with what it measured. */
  cancel(): void {
    this.#abort?.abort();
  }

  import(json: string): WireProfileRun {
    try {
      return this.#keep(parseProfile(json, 'the file'), true, null, null);
    } catch (error) {
      throw usage((error as Error).message);
    }
  }

  csv(id: number): { name: string; csv: string } {
    const held = this.#runs.get(id);
    if (!held) throw usage(`there is no profile ${id}`);
    if (!held.rows) throw usage('this profile did not keep its calls; run it again with "keep every call" for a CSV');
    const { profile: p } = held.run;
    return { name: `${p.function}-${p.mode}-${p.backend}.csv`, csv: held.rows.join('') };
  }

  #keep(profiled: Profile, imported: boolean, rows: string[] | null, cpuProfileId: number | null): WireProfileRun {
    const histogram = decode(profiled.histogram);
    const run: WireProfileRun = {
      id: this.#nextId++,
      label: labelOf(profiled),
      profile: profiled,
      bins: logBins(histogram),
      curve: percentileCurve(histogram),
      imported,
      hasRows: rows !== null,
      cpuProfileId,
    };
    histogram.destroy();
    this.#runs.set(run.id, { run, rows });
    return run;
  }
}
