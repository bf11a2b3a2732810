// The native measuring loop: one function run N times without a JS round trip per call.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "sandbox.h"

namespace microscope {

enum class MeasureMode {
  Warm,     // the same sandbox, no restore between calls
  Restore,  // restore the last snapshot before each call
  Cold,     // a new sandbox for each call, disposed after it
};

bool parse_measure_mode(const std::string& name, MeasureMode* mode);

struct Measurement {
  std::vector<CallTimings> iterations;  // one per completed call
  bool failed = false;                  // a call did not return; `failure` says how
  CallOutcome failure;
};

// Stops early at the first call that does not return, or when `stop` becomes true.
Measurement measure(Sandbox& sandbox, size_t function, const std::vector<Value>& args, MeasureMode mode,
                    uint64_t iterations, const std::atomic<bool>& stop);

}  // namespace microscope
