// A CPU profile of guest calls (engine side: native/engine/core/profile/), defined once for
// every process in native/common/cpu_profile.ts.
export {
  cpuProfileFormat,
  cpuProfileSchema,
  type CpuProfile,
  type NativeCpuProfile,
  type ProfileFrame,
  type ProfileLocation,
} from '../../../common/cpu_profile.js';
