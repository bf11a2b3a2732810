#include "frames.h"

namespace microscope {

namespace {

bool read_u64(const GuestMemory& memory, uint64_t address, uint64_t* value) {
  if (!memory.contains(address, 8)) return false;
  memory.read(address, value, 8);
  return true;
}

}  // namespace

bool caller_frame(const DebugInfo* info, const GuestMemory& memory, const FrameRegisters& frame, bool innermost,
                  FrameRegisters* caller) {
  if (info && info->unwind(memory, frame, innermost, caller)) return true;
  uint64_t saved_rbp, return_address;
  if (!read_u64(memory, frame.rbp, &saved_rbp) || !read_u64(memory, frame.rbp + 8, &return_address)) return false;
  *caller = FrameRegisters{return_address, frame.rbp + 16, saved_rbp};
  return true;
}

std::vector<FrameRegisters> backtrace(const DebugInfo* info, const GuestMemory& memory, const FrameRegisters& innermost,
                                      uint64_t halt_address, size_t limit) {
  std::vector<FrameRegisters> frames{innermost};
  while (frames.size() < limit) {
    FrameRegisters caller;
    if (!caller_frame(info, memory, frames.back(), frames.size() == 1, &caller)) break;
    // The stack grows down: a caller's frame is above its callee's, or the walk is lost.
    if (caller.rip == halt_address || caller.rsp <= frames.back().rsp) break;
    frames.push_back(caller);
  }
  return frames;
}

}  // namespace microscope
