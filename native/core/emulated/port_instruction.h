// Which `in` or `out` of a translated block the guest is in. Unicorn 2.0.1 reports the
// block's start as RIP inside an `in`/`out` hook, and a block can hold several of them;
// the engine counts the hooks since the block began and decodes the block (Capstone)
// to the instruction itself, so a fault found while serving one names it, as on KVM.
#pragma once

#include <cstdint>

#include "../guest_memory.h"

namespace microscope {

// The address of the `index`-th (from 1) in/out instruction in [begin, end), or `begin`
// when the block can't be decoded that far.
uint64_t find_port_instruction(const GuestMemory& memory, uint64_t begin, uint64_t end, int index, bool code64);

}  // namespace microscope
