// The emulated backend's exact instruction count (Backend::count_instructions): each
// translated block's instructions, decoded once (Capstone) and added when the next block
// begins, so counting costs a lookup a block. Between blocks the count is the blocks
// done; inside one (a stop, an `out`, a store) it is those and the block's instructions
// before RIP. An int3 the debugger wrote ends its block and counts as the instruction it
// stands in for; a rep-prefixed instruction starts a block at each turn, one count each.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "../backend.h"
#include "../guest_memory.h"

namespace microscope {

class InstructionCounter {
 public:
  explicit InstructionCounter(const GuestMemory& memory);
  ~InstructionCounter();
  InstructionCounter(const InstructionCounter&) = delete;
  InstructionCounter& operator=(const InstructionCounter&) = delete;

  // The block hook: a block begins. True when the run must stop before it (stop_at_block_of).
  bool enter_block(uint64_t address, uint32_t size) {
    if (current_) base_ += current_->offsets.size();
    const uint64_t key = address | (uint64_t(size) << 48);
    if (!last_ || last_key_ != key) {
      auto found = blocks_.find(key);
      if (found == blocks_.end()) found = blocks_.emplace(key, decode(address, size)).first;
      last_ = &found->second;
      last_key_ = key;
    }
    current_ = last_;
    // Not again at the block the last such stop was at, with nothing run since: that
    // would go nowhere (a block can hold more instructions than the next stop is away).
    if (stop_ != kNoPosition && base_ != stopped_at_ && base_ + current_->offsets.size() > stop_) {
      stop_ = kNoPosition;
      stopped_at_ = base_;
      return true;
    }
    return false;
  }

  // The position of the instruction at `rip` in the block running now.
  uint64_t at(uint64_t rip) const;
  // After a run: the count is exact at `rip`, the next instruction.
  void settle(uint64_t rip) {
    base_ = at(rip);
    current_ = nullptr;
  }
  void set(uint64_t position) {
    base_ = position;
    current_ = nullptr;
    stop_ = kNoPosition;
    stopped_at_ = kNoPosition;
  }
  void stop_at_block_of(uint64_t position) { stop_ = position; }

 private:
  struct Block {
    uint64_t address;
    uint32_t size;
    std::vector<uint32_t> offsets;  // of each instruction from `address`
  };
  Block decode(uint64_t address, uint32_t size) const;

  const GuestMemory& memory_;
  size_t handle_ = 0;                           // Capstone's csh
  std::unordered_map<uint64_t, Block> blocks_;  // by address | size << 48
  const Block* last_ = nullptr;                 // the last looked up, for a loop's repeats
  uint64_t last_key_ = 0;
  const Block* current_ = nullptr;  // the block running now; null between runs
  uint64_t base_ = 0;               // instructions done before it
  uint64_t stop_ = kNoPosition;
  uint64_t stopped_at_ = kNoPosition;  // where the last positioned stop was
};

}  // namespace microscope
