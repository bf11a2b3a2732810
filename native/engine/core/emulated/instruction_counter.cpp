#include "instruction_counter.h"

#include <capstone/capstone.h>

#include <algorithm>

#include "../errors.h"

namespace microscope {

InstructionCounter::InstructionCounter(const GuestMemory& memory) : memory_(memory) {
  csh handle;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK)
    throw EngineError(ErrorKind::Internal, "Capstone can't open an x86-64 disassembler");
  handle_ = handle;  // no details: only each instruction's length is wanted
}

InstructionCounter::~InstructionCounter() {
  csh handle = handle_;
  cs_close(&handle);
}

InstructionCounter::Block InstructionCounter::decode(uint64_t address, uint32_t size) const {
  Block block{address, size, {}};
  const uint64_t end = size ? address + size : address + 1;
  if (memory_.contains(address, end - address)) {
    const uint8_t* code = memory_.host() + address;
    size_t left = size_t(end - address) + 14;  // the last instruction may run past a short block
    left = std::min<uint64_t>(left, memory_.size() - address);
    uint64_t at = address;
    cs_insn* instruction = cs_malloc(handle_);
    while (at < end && cs_disasm_iter(handle_, &code, &left, &at, instruction))
      block.offsets.push_back(uint32_t(instruction->address - address));
    cs_free(instruction, 1);
  }
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
