// The CPU profile of a NativeSandbox's calls, from startCpuProfile() to stopCpuProfile():
// exact (core/profile/exact_profiler.h, the emulated backend) or sampled at a rate
// (core/profile/sampling_profiler.h, any backend). Whatever runs between the two is
// profiled: calls, measure()'s loops in any mode, traces. The profile is named (functions,
// inlined frames, lines) on the vCPU thread, where the guest's DWARF is read.
#pragma once

#include <napi.h>

#include <memory>

#include "call_runner.h"

namespace microscope {

class ProfileRecorder;

class CpuProfileSession {
 public:
  explicit CpuProfileSession(CallRunner& runner);
  ~CpuProfileSession();

  // startCpuProfile(kind: 'exact' | 'sampled', rateHz: number): void
  void start(const Napi::CallbackInfo& info);
  // stopCpuProfile(): Promise<NativeCpuProfile> (native/node/api/cpu_profile/types.ts)
  Napi::Value stop(Napi::Env env, Napi::Object owner);

 private:
  class StopWork;
  CallRunner& runner_;
  std::unique_ptr<ProfileRecorder> profiler_;
  std::unique_ptr<StopWork> stop_;
};

}  // namespace microscope
