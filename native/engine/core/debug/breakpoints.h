// A debugger's breakpoints: where they are (a source line can be several addresses: a
// loop's split line, each copy of an inlined function), their conditions, hit conditions
// and log messages, their hits, and the int3 bytes written for them into guest code for
// the length of one run. Whoever reads memory while a call is paused sees the guest's
// own bytes, and no snapshot ever holds an int3.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "../sandbox.h"
#include "condition.h"
#include "logpoint.h"

namespace microscope {

struct BreakpointOptions {
  std::string condition;      // a C expression (condition.h); "" for none
  std::string hit_condition;  // "3", ">= 3", "% 3"; "" for none
  std::string log_message;    // "fib({n})": a logpoint, which logs instead of stopping
};

struct Breakpoint {
  int id;
  std::vector<uint64_t> addresses;  // ascending
  Condition condition;
  HitCondition hit_condition;
  LogMessage log_message;
  bool enabled = true;
  uint64_t hits = 0;  // the times it was reached with its condition holding
};

// What reaching a breakpoint's address came to.
struct BreakpointHit {
  int stop = 0;  // the first breakpoint that stops here, 0 for none
  struct Log {
    int breakpoint;
    std::string text;
  };
  std::vector<Log> logs;  // logpoints' messages, and conditions that couldn't be evaluated
};

class Breakpoints {
 public:
  explicit Breakpoints(Sandbox& sandbox) : sandbox_(sandbox) {}

  // Throws a usage error when an address is not code or an option doesn't parse.
  // `types` is asked for only when an option has an expression.
  void add(int id, const std::vector<uint64_t>& addresses, const BreakpointOptions& options,
           const std::function<TypeTable&()>& types);
  void enable(int id, bool enabled) { find(id).enabled = enabled; }
  void remove(int id);
  const std::vector<Breakpoint>& list() const { return breakpoints_; }
  // Their hit counts, in list() order, and put back: a search of the recorded past
  // (time_travel.cpp) passes them without adding to the counts.
  std::vector<uint64_t> hit_counts() const {
    std::vector<uint64_t> counts;
    for (const auto& each : breakpoints_) counts.push_back(each.hits);
    return counts;
  }
  void set_hit_counts(const std::vector<uint64_t>& counts) {
    for (size_t i = 0; i < counts.size() && i < breakpoints_.size(); ++i) breakpoints_[i].hits = counts[i];
  }

  // The enabled breakpoints' addresses, and `extra` (a step's target) when not 0: sorted, once each.
  std::vector<uint64_t> addresses(uint64_t extra = 0) const;
  // Whether an enabled breakpoint is at `address`.
  bool any_at(uint64_t address) const;
  // The breakpoints at `address` reached in `frame` (the running one, made on first
  // need): each whose condition holds counts a hit; a logpoint logs; the first other
  // whose hit condition holds stops.
  BreakpointHit hit_at(uint64_t address, const std::function<const FrameContext&()>& frame);

  // The int3s of `addresses` into guest code for a run, and out again after it.
  void insert(const std::vector<uint64_t>& addresses);
  void take_out();

 private:
  Breakpoint& find(int id);

  Sandbox& sandbox_;
  std::vector<Breakpoint> breakpoints_;
  std::vector<std::pair<uint64_t, uint8_t>> inserted_;  // address, and the byte the int3 replaced
};

}  // namespace microscope
