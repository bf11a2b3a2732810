#include "measure.h"

#include "clock.h"

namespace microscope {

bool parse_measure_mode(const std::string& name, MeasureMode* mode) {
  if (name == "warm")
    *mode = MeasureMode::Warm;
  else if (name == "restore")
    *mode = MeasureMode::Restore;
  else if (name == "cold")
    *mode = MeasureMode::Cold;
  else
    return false;
  return true;
}

Measurement measure(Sandbox& sandbox, size_t function, const std::vector<Value>& args, MeasureMode mode,
                    uint64_t iterations, const std::atomic<bool>& stop) {
  Measurement result;
  result.iterations.reserve(iterations);
  CallOptions options;
  options.restore = mode == MeasureMode::Restore;
  for (uint64_t i = 0; i < iterations && !stop.load(std::memory_order_relaxed); ++i) {
    if (mode == MeasureMode::Cold) {
      const int64_t start = monotonic_ns();
      Sandbox fresh(sandbox.shared_image(), sandbox.options(), sandbox.host_functions());
      fresh.begin_init();
      fresh.run();
      const CallOutcome& init = fresh.finish();
      const int64_t created = monotonic_ns() - start;
      if (init.kind != OutcomeKind::Returned) {
        result.failed = true;
        result.failure = init;
        break;
      }
      fresh.profile(sandbox.profiler());  // the call, not the init: that is a cold start's, not the function's
      fresh.begin_call(function, args, options);
      fresh.run();
      const CallOutcome& outcome = fresh.finish();
      if (outcome.kind != OutcomeKind::Returned) {
        result.failed = true;
        result.failure = outcome;
        break;
      }
      CallTimings timings = outcome.timings;
      timings.create_ns = created;
      timings.total_ns += created;
      result.iterations.push_back(timings);
      continue;
    }
    if (i == 0)
      sandbox.begin_call(function, args, options);
    else
      sandbox.begin_call_again(options);
    sandbox.run();
    const CallOutcome& outcome = sandbox.finish();
    if (outcome.kind != OutcomeKind::Returned) {
      result.failed = true;
      result.failure = outcome;
      break;
    }
    result.iterations.push_back(outcome.timings);
  }
  return result;
}

}  // namespace microscope
