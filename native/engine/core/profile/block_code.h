// The instructions of a translated block, decoded from guest memory (Capstone): what the
// emulated backend's block hook counted, turned into counts per instruction.
#pragma once

#include <cstdint>
#include <vector>

#include "../debug/disassembler.h"
#include "../guest_memory.h"

namespace microscope {

// The address of each instruction in [address, address + size) (just `address` when
// `size` is 0), stopping at bytes that are no instruction.
std::vector<uint64_t> block_instructions(const GuestMemory& memory, const Disassembler& disassembler, uint64_t address,
                                         uint32_t size);

}  // namespace microscope
