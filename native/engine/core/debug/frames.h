// Guest stack frames. Each caller is found by the guest's DWARF call frame information
// where it has some (debug_info.h: exact at any instruction), and otherwise through frame
// pointers: the SDK builds guests with -fno-omit-frame-pointer, so a function that has
// run its prologue keeps its caller's RBP at [RBP] and its return address at [RBP+8].
#pragma once

#include <cstdint>
#include <vector>

#include "../guest_memory.h"
#include "debug_info.h"

namespace microscope {

// The caller of `frame`. `innermost`: the frame is the one running (RIP is about to run),
// not a caller (RIP a return address). False when neither CFI nor RBP leads anywhere in
// guest memory.
// Sets `frame`'s CFA where it finds it.
bool caller_frame(const DebugInfo* info, const GuestMemory& memory, FrameState* frame, bool innermost,
                  FrameState* caller);

// The frames from the running one outwards, until the return to the engine's halt stub
// (not included), a frame that leads nowhere, or `limit` frames.
std::vector<FrameState> backtrace(const DebugInfo* info, const GuestMemory& memory, const FrameState& innermost,
                                  uint64_t halt_address, size_t limit = 256);

}  // namespace microscope
