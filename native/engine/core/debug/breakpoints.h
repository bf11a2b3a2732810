// A debugger's breakpoints: where they are, their conditions and hits, and the int3 bytes
// written for them into guest code for the length of one run. Whoever reads memory while
// a call is paused sees the guest's own bytes, and no snapshot ever holds an int3.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "../sandbox.h"
#include "condition.h"

namespace microscope {

struct Breakpoint {
  int id;
  uint64_t address;
  Condition condition;
  bool enabled = true;
  uint64_t hits = 0;  // stops here (with the condition holding)
};

class Breakpoints {
 public:
  explicit Breakpoints(Sandbox& sandbox) : sandbox_(sandbox) {}

  // Throws a usage error when `address` is not code or the condition doesn't parse.
  void add(int id, uint64_t address, const std::string& condition);
  void enable(int id, bool enabled) { find(id).enabled = enabled; }
  void remove(int id);
  const std::vector<Breakpoint>& list() const { return breakpoints_; }

  // The enabled breakpoints' addresses, and `extra` (a step's target) when not 0: sorted, once each.
  std::vector<uint64_t> addresses(uint64_t extra = 0) const;
  // Whether an enabled breakpoint is at `address`; the first whose condition holds in
  // `registers` (0 when none), each such one counting a hit.
  bool any_at(uint64_t address) const;
  int hit_at(uint64_t address, const Registers& registers);

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
