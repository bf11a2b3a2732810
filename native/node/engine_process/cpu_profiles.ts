// The CPU profiles the inspector has, in the engine process: those recorded with a Latency
// run (profile.run with `cpu`) and those imported from files, each kept whole here (the
// renderer fetches one when it shows it) and exported on demand in another tool's format.

import { cpuProfileSchema, type CpuProfile, type CpuProfileExportFormat } from '../../common/cpu_profile.js';
import { UsageError } from '../api/errors.js';
import { toChromeCpuProfile } from '../api/cpu_profile/chrome_cpuprofile.js';
import { toFolded } from '../api/cpu_profile/folded.js';
import { toPprof } from '../api/cpu_profile/pprof.js';
import { toSpeedscope } from '../api/cpu_profile/speedscope.js';

const usage = (message: string) => new UsageError({ kind: 'usage', message });

export function cpuProfileLabel(p: CpuProfile): string {
  return `${p.function}(${p.args.join(', ')}) ${p.kind}${p.rateHz ? ` ${p.rateHz} Hz` : ''} · ${p.mode} · ${p.backend}`;
}

export class CpuProfiles {
  readonly #profiles = new Map<number, CpuProfile>();
  #nextId = 1;

  keep(profile: CpuProfile): number {
    const id = this.#nextId++;
    this.#profiles.set(id, profile);
    return id;
  }

  get(id: number): CpuProfile {
    const profile = this.#profiles.get(id);
    if (!profile) throw usage(`there is no CPU profile ${id}`);
    return profile;
  }

  import(json: string): { id: number; label: string } {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw usage(`the file is not JSON: ${(error as Error).message}`);
    }
    const checked = cpuProfileSchema.safeParse(parsed);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw usage(`the file is not a Microscope CPU profile: ${issue.path.join('.') || 'the file'}: ${issue.message}`);
    }
    return { id: this.keep(checked.data), label: cpuProfileLabel(checked.data) };
  }

  export(id: number, format: CpuProfileExportFormat): { name: string; data: string; encoding: 'utf8' | 'base64' } {
    const profile = this.get(id);
    const base = `${profile.function}-${profile.kind}-${profile.backend}`.replace(/[^\w.-]+/g, '_');
    switch (format) {
      case 'pprof':
        return { name: `${base}.pb.gz`, data: Buffer.from(toPprof(profile)).toString('base64'), encoding: 'base64' };
      case 'speedscope':
        return { name: `${base}.speedscope.json`, data: JSON.stringify(toSpeedscope(profile)), encoding: 'utf8' };
      case 'folded':
        return { name: `${base}.folded`, data: toFolded(profile), encoding: 'utf8' };
      case 'cpuprofile':
        return { name: `${base}.cpuprofile`, data: JSON.stringify(toChromeCpuProfile(profile)), encoding: 'utf8' };
      case 'microscope':
        return { name: `${base}.cpu.json`, data: JSON.stringify(profile), encoding: 'utf8' };
    }
  }
}
