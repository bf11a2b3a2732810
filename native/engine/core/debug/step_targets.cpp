#include "step_targets.h"

#include "../../../include/microscope/abi.h"
#include "../errors.h"
#include "frames.h"

namespace microscope {

std::optional<StepTarget> step_over_target(const GuestCode& code, const Registers& registers) {
  const Instruction at = code.at(registers.rip);
  if (!at.is_call) return std::nullopt;
  return StepTarget{registers.rip + at.size, registers.rsp};
}

std::optional<StepTarget> step_out_target(GuestCode& code, const GuestMemory& memory, const Registers& registers) {
  FrameState frame = FrameState::minimal(registers.rip, registers.rsp, registers.rbp), caller;
  if (!caller_frame(&code.debug_info(), memory, &frame, true, &caller)) {
    throw usage_error("step out: no caller's frame found at RSP " + hex(registers.rsp) + ", RBP " + hex(registers.rbp));
  }
  if (caller.rip() == MS_HALT_ADDRESS) return std::nullopt;
  return StepTarget{caller.rip(), caller.rsp()};
}

StepTarget run_to_target(const Layout& layout, uint64_t address) {
  const Region* region = layout.region_at(address);
  if (!region || !(region->access & kExecute)) {
    throw usage_error("run to " + hex(address) + ": that is not code (" +
                      (region ? region->name : std::string("outside guest memory")) + ")");
  }
  return StepTarget{address, 0};
}

}  // namespace microscope
