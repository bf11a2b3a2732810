// The engine's own exception handlers: an IDT whose 256 gates lead to small stubs in the
// engine code page. Each reports its vector to the host through MS_PORT_FAULT and halts,
// so a guest fault under KVM is an exit the engine reads, never a bare triple fault. The
// emulated backend intercepts exceptions before they are delivered; both share the bytes.
#pragma once

#include <cstdint>

#include "guest_memory.h"

namespace microscope {

// Writes the halt stub, the fault stubs and the IDT.
void write_fault_handlers(GuestMemory& memory);

// What a stub leaves on the fault stack, from RSP up, when its `out` exits to the host:
// the two registers it used, the vector, the error code (0 when the vector has none),
// then the frame the CPU pushed.
struct FaultFrame {
  uint64_t rdx, rax, vector, error_code, rip, cs, rflags, rsp, ss;
};

bool vector_has_error_code(unsigned vector);

}  // namespace microscope
