// microscope: run functions in micro-VMs from Node.
export { defaultBackend, Sandbox, Snapshot } from './sandbox.js';
export * from './errors.js';
export * from './debug.js';
export * from './trace.js';
export { sendOtlp, toOtlpJson, traceparentContext, traceSpans, type TraceSpansOptions } from './otlp.js';
export * from './types.js';
export { bundledGuests, demoGuestPath, sqliteGuestPath } from './paths.js';
export * from './profile.js';
export { readSource, sourceCandidates, maxSourceBytes, type SourcePathMapping, type SourceText } from './source_files.js';
export { parseProfile, csvHeader, csvRow } from './profile_file.js';
export * as latency from './latency_histogram.js';
export * from './cpu_profile/types.js';
export { cpuProfile, defaultProfileKind, defaultRateHz, type CpuProfileOptions, type ProfiledRun } from './cpu_profile/record.js';
export * from './cpu_profile/tables.js';
export { toPprof } from './cpu_profile/pprof.js';
export { toSpeedscope, type SpeedscopeFile } from './cpu_profile/speedscope.js';
export { toFolded } from './cpu_profile/folded.js';
export { toChromeCpuProfile, type ChromeCpuProfile } from './cpu_profile/chrome_cpuprofile.js';
