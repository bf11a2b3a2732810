// Register access on a Unicorn x86-64 engine, in the engine's own terms (backend.h).
#pragma once

#include <unicorn/unicorn.h>

#include "../backend.h"
#include "../guest_memory.h"

namespace microscope {

// Throws EngineError(Internal) naming `what` when a Unicorn call failed.
void unicorn_check(uc_err err, const char* what);

Registers read_registers(uc_engine* uc);
void write_registers(uc_engine* uc, const Registers& registers);
SpecialRegisters read_special_registers(uc_engine* uc);
void write_special_registers(uc_engine* uc, const SpecialRegisters& registers);
// Whether the guest runs 64-bit code (CS.L), from the descriptor its CS selector names:
// Unicorn gives the selector, not the descriptor cache. True when it can't be read.
bool in_64bit_code(uc_engine* uc, const GuestMemory& memory);
// The long-mode entry state of native/README.md: GDT, IDT, EFER, CR3, CR4, CR0, segments.
void write_entry_state(uc_engine* uc);

}  // namespace microscope
