// The CPU profiler (native/engine/core/profile/) on both backends, with the profiler's test
// guest (test/guests/profile_shape.c: split(n) runs n iterations of a loop in spin_once
// and 2n of the same loop in spin_twice). Sampled: about twice the samples in spin_twice,
// within statistical bounds, each stack unwound to the export, and every profiled call's
// result the unprofiled one's (the guest can't tell). Exact, on the emulated backend:
// spin_twice runs exactly the extra iterations' instructions; KVM refuses it, saying why.
// Coverage: the same lines run on both backends.
#include <chrono>
#include <cmath>
#include <map>

#include "../../../../native/engine/core/errors.h"
#include "../../../../native/engine/core/profile/coverage.h"
#include "../../../../native/engine/core/profile/exact_profiler.h"
#include "../../../../native/engine/core/profile/profile_symbols.h"
#include "../../../../native/engine/core/profile/sampling_profiler.h"
#include "harness.h"

namespace conformance {

namespace {

// Counts by the innermost function, and the stacks that don't end in the export.
struct Tally {
  std::map<std::string, uint64_t> self;
  uint64_t total = 0;
  uint64_t unrooted = 0;
};

Tally tally(const CpuProfile& profile, Sandbox& box, const std::string& root) {
  Tally t;
  for (const ProfileStack& stack : profile.stacks) {
    const Symbol* leaf = box.function_at(stack.addresses.front());
    t.self[leaf ? leaf->name : "?"] += stack.count;
    t.total += stack.count;
    // The engine's halt stub, where every call ends, is in no function.
    const Symbol* outer = box.function_at(stack.addresses.back() - (stack.addresses.size() > 1 ? 1 : 0));
    if (leaf && (!outer || outer->name != root)) t.unrooted += stack.count;
  }
  return t;
}

void sampled(Case& c) {
  auto box = c.sandbox("profile_shape");
  const std::vector<Value> args{Value::of_u32(200000)};
  const CallOutcome plain = c.call(*box, "split", args);
  c.record("split unprofiled", plain);
  // Warm calls: on KVM a restore's pages fault back in at the call's first instructions,
  // time the samples rightly put there (at split's entry), and which isn't the loops'.
  CallOptions warm;
  warm.restore = false;
  SamplingProfiler profiler(1000);
  box->profile(&profiler);
  // Until enough samples for the bounds below, or a minute: nested KVM under QEMU's software
  // CPU is slow, and a busy machine slower.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  uint64_t calls = 0, differed = 0;
  CpuProfile profile;
  do {
    const CallOutcome outcome = c.call(*box, "split", args, warm);
    ++calls;
    if (describe(outcome) != describe(plain)) ++differed;
    if (calls % 4 == 0) profile = profiler.collect(box->memory());
  } while ((calls % 4 || tally(profile, *box, "split").total < 400) && std::chrono::steady_clock::now() < give_up);
  box->profile(nullptr);
  profile = profiler.collect(box->memory());
  c.expect(differed == 0, "every profiled call returns what the unprofiled one did (" + std::to_string(differed) +
                              " of " + std::to_string(calls) + " differed)");
  c.expect(profile.calls == calls, "the profile counts the calls");
  const Tally t = tally(profile, *box, "split");
  const uint64_t once = t.self.count("spin_once") ? t.self.at("spin_once") : 0;
  const uint64_t twice = t.self.count("spin_twice") ? t.self.at("spin_twice") : 0;
  c.expect(t.total >= 100, "samples were taken: " + std::to_string(t.total));
  // spin_twice's share of the two is 2/3; at 300 samples its standard deviation is 0.027,
  // so 0.12 is more than four of them.
  const double share = once + twice ? double(twice) / double(once + twice) : 0;
  c.expect(std::fabs(share - 2.0 / 3.0) < 0.12, "spin_twice has 2/3 of the loops' samples: " + std::to_string(twice) +
                                                    " of " + std::to_string(once + twice));
  std::string where;
  for (const auto& [function, count] : t.self) where += " " + function + " " + std::to_string(count);
  c.expect(once + twice >= t.total * 9 / 10, "the loops have most of the samples:" + where);
  c.expect(t.unrooted <= t.total / 20,
           "stacks unwind to split: " + std::to_string(t.unrooted) + " of " + std::to_string(t.total) + " don't");
  const CallOutcome after = c.call(*box, "split", args);
  c.record("split after profiling", after);
}

void exact(Case& c) {
  auto box = c.sandbox("profile_shape");
  ExactProfiler profiler;
  if (c.context().backend == "kvm") {
    std::string error;
    try {
      box->profile(&profiler);
    } catch (const EngineError& e) {
      error = e.what();
    }
    c.expect(error.find("exact CPU profile needs the emulated backend") != std::string::npos,
             "KVM refuses an exact profile, saying why: " + error);
    c.expect(box->profiler() == nullptr, "and nothing is attached");
    return;
  }
  const auto self_of = [&](uint32_t n) {
    ExactProfiler one;
    box->profile(&one);
    c.call(*box, "split", {Value::of_u32(n)});
    box->profile(nullptr);
    return tally(one.collect(box->memory()), *box, "split");
  };
  const Tally small = self_of(1000), big = self_of(2000);
  // spin_once(n) and spin_twice(2n) run the same loop: the difference is n iterations.
  const uint64_t iterations_1000 = small.self.at("spin_twice") - small.self.at("spin_once");
  c.expect(big.self.at("spin_once") - small.self.at("spin_once") == iterations_1000,
           "1,000 more iterations cost spin_once what they cost spin_twice: " + std::to_string(iterations_1000));
  c.expect(big.self.at("spin_twice") - small.self.at("spin_twice") == 2 * iterations_1000,
           "and twice that in spin_twice");
  c.expect(small.unrooted == 0, "every stack ends in split: " + std::to_string(small.unrooted) + " don't");
}

// The lines of profile_shape.c that split(10) and then nested(2) ran, the same on both
// backends (recorded for the differential run): counted on the emulated backend, hit on
// KVM, where each line's int3 is taken out at its first hit and the calls' results are
// what they are without coverage.
void coverage(Case& c) {
  auto box = c.sandbox("profile_shape");
  const CallOutcome plain = c.call(*box, "nested", {Value::of_u32(2)});
  DebugInfo debug_info(box->image().file(), box->layout().load_bias);
  Coverage result;
  {
    CoverageRecorder recorder(*box, debug_info);
    const CallOutcome split = recorder.call(size_t(box->find_function("split")), {Value::of_u32(10)});
    c.record("split under coverage", split);
    const CallOutcome nested = recorder.call(size_t(box->find_function("nested")), {Value::of_u32(2)});
    c.expect(describe(nested) == describe(plain),
             "a call under coverage returns what it does without: " + describe(nested) + " and " + describe(plain));
    result = recorder.result();
  }
  c.expect(result.exact == (c.context().backend == "emulated"), "exact on the emulated backend only");
  c.expect(result.calls == 2, "two calls");
  std::string hit, missed;
  uint64_t descend_entries = 0;
  for (const CoverageFile& file : result.files) {
    if (file.path.size() < 15 || file.path.compare(file.path.size() - 15, 15, "profile_shape.c") != 0) continue;
    for (const CoverageLine& line : file.lines) (line.count ? hit : missed) += " " + std::to_string(line.line);
    for (const CoverageFunction& function : file.functions) {
      if (function.name == "descend") descend_entries = function.count;
    }
  }
  c.record_fields("profile_shape.c lines", {{"hit", hit}, {"missed", missed}});
  c.expect(!hit.empty() && !missed.empty(), "some lines hit and some not: hit" + hit + "; missed" + missed);
  // descend(2) enters three times: counted exactly, or hit once.
  c.expect(descend_entries == (result.exact ? 3 : 1), "descend's entries: " + std::to_string(descend_entries));
  const CallOutcome after = c.call(*box, "nested", {Value::of_u32(2)});
  c.expect(describe(after) == describe(plain), "and after it, with every int3 taken out: " + describe(after));
}

}  // namespace

std::vector<CaseDefinition> profile_cases() {
  return {
      {"profiler: sampled", sampled},
      {"profiler: exact", exact},
      {"coverage", coverage},
  };
}

}  // namespace conformance
