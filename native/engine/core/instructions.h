// Finding an instruction by decoding guest code (Capstone), where a backend reports only
// an address near it.
#pragma once

#include <cstdint>

#include "guest_memory.h"

namespace microscope {

// Which `in` or `out` of a translated block the guest is in. Unicorn 2.0.1 reports the
// block's start as RIP inside an `in`/`out` hook, and a block can hold several of them;
// the emulated backend counts the hooks since the block began and finds the instruction
// itself, so a fault found while serving one names it, as on KVM. Returns the address of
// the `index`-th (from 1) in/out instruction in [begin, end), or `begin` when the block
// can't be decoded that far.
uint64_t find_port_instruction(const GuestMemory& memory, uint64_t begin, uint64_t end, int index, bool code64);

// The instruction that ends at `next`, decoding from `from` (the start of its function):
// KVM reports a write to read-only memory with RIP past the instruction. 0 when no
// instruction decoded from `from` ends there.
uint64_t instruction_ending_at(const GuestMemory& memory, uint64_t from, uint64_t next);

}  // namespace microscope
