// rdmsr, wrmsr, mov to a control register and mov to or from a debug register on the
// emulated backend. A guest at CPL 0 may execute them, but Unicorn 2.0.1 runs them
// without the CPU's checks (an MSR that doesn't exist reads 0, EFER.LME clears under
// paging), crashes on a hardware breakpoint armed in DR7, and has no instruction hook
// for them. Code can't change under the guest (its pages are write-protected in Unicorn and
// data never executes), so every offset where one of them could start is known: a
// scan for their opcode bytes finds them, and a code hook on each applies the engine's
// control policy (core/control_policy.h) before the instruction runs.
#pragma once

#include <unicorn/unicorn.h>

#include <cstdint>
#include <set>
#include <vector>

#include "../control_policy.h"
#include "../guest_memory.h"

namespace microscope {

class PrivilegedHooks {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // The policy refused the instruction at `rip`: the run must stop before it.
    virtual void refuse(uint64_t rip, const ControlDecision& decision) = 0;
    // An allowed mov to CR0 clears WP: Unicorn's TLB may now hold writable entries for
    // read-only pages (it is never flushed from the host).
    virtual void write_protect_cleared() = 0;
  };

  PrivilegedHooks(uc_engine* uc, const GuestMemory& memory, Listener& listener);
  PrivilegedHooks(const PrivilegedHooks&) = delete;
  PrivilegedHooks& operator=(const PrivilegedHooks&) = delete;

  // [begin, end) of guest memory holds code that is new or was rewritten by the host.
  void scan(uint64_t begin, uint64_t end);
  size_t hooked() const { return starts_.size(); }

  // What the guest's mov to and from DRn see (control_policy.h): part of the vCPU state.
  DebugRegisters& debug_registers() { return debug_; }

 private:
  static void on_instruction(uc_engine* uc, uint64_t address, uint32_t size, void* user);
  void check(uint64_t address, uint32_t size);
  void hook(uint64_t first, uint64_t last);
  // mov to or from DRn on the shadow registers; false when it faulted instead.
  bool move_debug_register(uint64_t address, uint32_t size, bool to, uint8_t modrm, uint8_t rex, bool code64);
  uint64_t general_register(int number, bool code64);
  uint64_t read_efer();

  uc_engine* uc_;
  const GuestMemory& memory_;
  Listener& listener_;
  DebugRegisters debug_;
  std::set<uint64_t> starts_;  // the first address of each hooked range
  std::vector<uc_hook> hooks_;
};

}  // namespace microscope
