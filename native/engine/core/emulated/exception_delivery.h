// Whether the CPU could deliver an exception through the tables the guest has loaded.
// Unicorn reports an exception to the engine before it is delivered, and never goes
// through the IDT; KVM's CPU does, to the engine's fault stubs. A guest that loaded
// tables of its own (lidt, lgdt) gets on KVM whatever its tables make of it, so this
// backend looks at them as the CPU would before it reports the fault.
#pragma once

#include <unicorn/unicorn.h>

#include <string>

#include "../guest_memory.h"

namespace microscope {

struct Delivery {
  enum Result {
    Delivered,     // the engine's stub for the vector is reached: the fault is reported as it is
    TripleFault,   // the gate or the code segment it names is unusable: the CPU shuts down
    GuestHandler,  // a usable gate that leads somewhere else: the guest's own handler
  };
  Result result;
  std::string why;  // for TripleFault and GuestHandler
};

Delivery deliver_exception(uc_engine* uc, const GuestMemory& memory, int vector);

}  // namespace microscope
