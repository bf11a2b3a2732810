// A CPU profile as the engine measures it: call stacks (addresses, the running
// instruction first, then each caller's return address) with how often each was seen.
// Exact (emulated backend): every instruction the calls ran, counted. Sampled (any
// backend): where the vCPU was at each tick of a timer. Named by profile_symbols.h.
#pragma once

#include <cstdint>
#include <vector>

#include "../sandbox.h"

namespace microscope {

struct ProfileStack {
  // The instruction, then the return addresses, innermost first. Exact: a caller's return
  // address stands for every call from its function (profile/call_sites.h).
  std::vector<uint64_t> addresses;
  uint64_t count = 0;  // instructions run (exact) or samples taken (sampled)
};

struct CpuProfile {
  enum class Kind { Exact, Sampled };
  Kind kind = Kind::Exact;
  uint64_t period_ns = 0;  // sampled: the timer's period
  std::vector<ProfileStack> stacks;
  uint64_t calls = 0;          // calls begun while it profiled
  uint64_t ticks_outside = 0;  // sampled: ticks while no guest code ran (the engine between calls)
  bool truncated = false;      // more call paths than it keeps: the deepest were merged into their callers
};

// A profiler that records: what it counted so far, with `memory`'s code where it needs to
// decode it (the guest's code is the same in every sandbox of one image).
class ProfileRecorder : public CpuProfiler {
 public:
  virtual CpuProfile collect(const GuestMemory& memory) const = 0;
};

}  // namespace microscope
