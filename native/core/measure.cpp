#include "measure.h"

#include "clock.h"

namespace microscope {

bool parse_measure_mode(const std::string& name, MeasureMode* mode) {
  if (name == "warm") *mode = MeasureMode::Warm;
  else if (name == "restore") *mode = MeasureMode::Restore;
  else if (name == "cold") *mode = MeasureMode::Cold;
  else return false;
  return true;
}

Measurement measure(Sandbox& sandbox, size_t function, const std::vector<Value>& args, MeasureMode mode,
                    uint64_t iterations, const std::atomic<bool>& stop) {
  Measurement result;
  result.iterations.reserve(iterations);
  CallOptions options;
  options.restore = mode == MeasureMode::Restore;
  for (uint64_t i = 0; i < iterations && !stop.load(std::memory_order_relaxed); ++i) {
    CallOutcome outcome;
    if (mode == MeasureMode::Cold) {
      const int64_t start = monotonic_ns();
      Sandbox fresh(sandbox.shared_image(), sandbox.options(), sandbox.host_functions());
      CallOutcome init = fresh.init();
      const int64_t created = monotonic_ns() - start;
      if (init.kind != OutcomeKind::Returned) {
        outcome = std::move(init);
      } else {
        outcome = fresh.call(function, args, options);
        outcome.timings.create_ns = created;
        outcome.timings.total_ns += created;
      }
    } else {
      outcome = sandbox.call(function, args, options);
    }
    if (outcome.kind != OutcomeKind::Returned) {
      result.failed = true;
      result.failure = std::move(outcome);
      break;
    }
    result.iterations.push_back(outcome.timings);
  }
  return result;
}

}  // namespace microscope
