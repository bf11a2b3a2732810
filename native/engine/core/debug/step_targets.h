// Where a step over, a step out or a run-to ends: an address, reached with RSP at least
// `min_rsp` (a recursive call returning to the same address is deeper: its RSP is lower).
// The debugger runs to it with a breakpoint there (debugger.cpp).
#pragma once

#include <cstdint>
#include <optional>

#include "../sandbox.h"
#include "guest_code.h"

namespace microscope {

struct StepTarget {
  uint64_t address;
  uint64_t min_rsp;
};

// Past the `call` at RIP, back at this depth; none when RIP is not at a call (the step is
// one instruction).
std::optional<StepTarget> step_over_target(const GuestCode& code, const Registers& registers);
// The return into the caller of the function RIP is in; none when that caller is the
// engine's halt stub (the step out ends the call). A usage error when no caller's frame is
// found.
std::optional<StepTarget> step_out_target(GuestCode& code, const GuestMemory& memory, const Registers& registers);
// `address`, at any depth; a usage error when it is not code.
StepTarget run_to_target(const Layout& layout, uint64_t address);

}  // namespace microscope
