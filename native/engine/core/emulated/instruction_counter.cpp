#include "instruction_counter.h"

#include <algorithm>

#include "../profile/block_code.h"

namespace microscope {

InstructionCounter::Block InstructionCounter::decode(uint64_t address, uint32_t size) const {
  Block block{address, size, {}};
  for (uint64_t at : block_instructions(memory_, disassembler_, address, size))
    block.offsets.push_back(uint32_t(at - address));
  if (block.offsets.empty()) block.offsets.push_back(0);  // a block always runs something
  return block;
}

uint64_t InstructionCounter::at(uint64_t rip) const {
  if (!current_) return base_;
  const Block& block = *current_;
  if (rip < block.address || rip - block.address >= std::max<uint64_t>(block.size, 1)) {
    // Outside the block: it ran to its end (a jump's target, or the next address) and
    // the run ended before another began.
    return base_ + block.offsets.size();
  }
  const uint32_t offset = uint32_t(rip - block.address);
  return base_ + uint64_t(std::lower_bound(block.offsets.begin(), block.offsets.end(), offset) - block.offsets.begin());
}

}  // namespace microscope
