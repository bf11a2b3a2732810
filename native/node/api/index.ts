// microscope: run functions in micro-VMs from Node.
export { defaultBackend, Sandbox, Snapshot } from './sandbox.js';
export * from './errors.js';
export * from './debug.js';
export * from './trace.js';
export * from './types.js';
export { bundledGuests, demoGuestPath, sqliteGuestPath } from './paths.js';
export * from './profile.js';
export { readSource, sourceCandidates, maxSourceBytes, type SourcePathMapping, type SourceText } from './source_files.js';
export { parseProfile, csvHeader, csvRow } from './profile_file.js';
export * as latency from './latency_histogram.js';
export * from './cpu_profile/types.js';
export { cpuProfile, defaultProfileKind, defaultRateHz, type CpuProfileOptions, type ProfiledRun } from './cpu_profile/record.js';
