#include "frames.h"

namespace microscope {

namespace {

bool read_u64(const GuestMemory& memory, uint64_t address, uint64_t* value) {
  if (!memory.contains(address, 8)) return false;
  memory.read(address, value, 8);
  return true;
}

}  // namespace

bool caller_frame(const DebugInfo* info, const GuestMemory& memory, FrameState* frame, bool innermost,
                  FrameState* caller) {
  if (info && info->unwind(memory, frame, innermost, caller)) return true;
  uint64_t saved_rbp, return_address;
  if (!frame->has(FrameState::kRbp) || !read_u64(memory, frame->rbp(), &saved_rbp) ||
      !read_u64(memory, frame->rbp() + 8, &return_address)) {
    return false;
  }
  *caller = FrameState::minimal(return_address, frame->rbp() + 16, saved_rbp);
  frame->cfa = frame->rbp() + 16;
  frame->has_cfa = true;
  return true;
}

std::vector<FrameState> backtrace(const DebugInfo* info, const GuestMemory& memory, const FrameState& innermost,
                                  uint64_t halt_address, size_t limit) {
  std::vector<FrameState> frames{innermost};
  while (frames.size() < limit) {
    FrameState caller;
    if (!caller_frame(info, memory, &frames.back(), frames.size() == 1, &caller)) break;
    // The stack grows down: a caller's frame is above its callee's, or the walk is lost.
    if (caller.rip() == halt_address || caller.rsp() <= frames.back().rsp()) break;
    frames.push_back(caller);
  }
  return frames;
}

}  // namespace microscope
