// Which guest functions are open, followed from the blocks the guest enters (the
// emulated backend's block hook): a block that starts at a function's first instruction
// is a call (its return address at [RSP]); one that starts at the innermost frame's
// return address, with RSP above that frame's, is its return. A jump to a function's
// start from a frame at the same RSP is a tail call: the callee takes its caller's place.
// What the call trace (call_trace.h) and the exact CPU profile (profile/exact_profiler.h)
// both stand on.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "../sandbox.h"

namespace microscope {

class CallFollower {
 public:
  struct OpenFrame {
    uint64_t entry_rsp;
    uint64_t return_address;  // 0 where [RSP] could not be read
    uint32_t symbol;          // into the image's symbols
  };

  class Listener {
   public:
    virtual ~Listener() = default;
    // `frame` was pushed: it is open_frames().back() now.
    virtual void entered(const OpenFrame& frame) = 0;
    // open_frames().back() is about to be popped.
    virtual void leaving() = 0;
  };

  explicit CallFollower(Sandbox& sandbox);

  // The block at `address` begins; calls `listener` for each frame it opens or closes.
  void on_block(uint64_t address, Backend& backend, Listener& listener);
  // Closes every frame still open (a call ended, or faulted part-way).
  void close_all(Listener& listener);
  const std::vector<OpenFrame>& open_frames() const { return stack_; }

 private:
  GuestMemory& memory_;
  std::unordered_map<uint64_t, uint32_t> starts_;  // a function's first instruction -> its symbol
  std::vector<OpenFrame> stack_;
};

}  // namespace microscope
