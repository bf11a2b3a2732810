// What a guest may do to the vCPU's control state, decided by the engine and the same on
// both backends. A guest runs at CPL 0, so nothing stops it executing `wrmsr` or
// `mov cr3`; the engine decides what they do. KVM's MSR filter sends every rdmsr and
// wrmsr to the engine; the emulated backend hooks them, and the control-register writes
// too (core/emulated/privileged_hooks.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace microscope {

struct ControlDecision {
  enum Verdict {
    Allow,              // the instruction runs as the CPU runs it
    GeneralProtection,  // #GP, as the CPU raises it for a bad MSR or value
    UndefinedOpcode,    // #UD, as for a debug register that doesn't exist
    Unsupported,        // the emulated backend can't run it (Unicorn 2.0.1); the call ends
  };
  Verdict verdict = Allow;
  std::string why;  // for GeneralProtection and Unsupported

  static ControlDecision allow() { return {}; }
  static ControlDecision fault(std::string why) { return {GeneralProtection, std::move(why)}; }
  static ControlDecision undefined(std::string why) { return {UndefinedOpcode, std::move(why)}; }
  static ControlDecision unsupported(std::string why) { return {Unsupported, std::move(why)}; }
};

// The MSRs a guest may read and write: the ones an x86-64 program at CPL 0 has a use for
// (SYSCALL/SYSENTER targets, segment bases, PAT, TSC_AUX) and EFER and the TSC, which it
// may read. Every other MSR is a #GP, as on a CPU without it. Saved and restored with
// the vCPU, since a guest can change them.
const std::vector<uint32_t>& guest_writable_msrs();

ControlDecision check_msr_read(uint32_t msr);
// `efer` is EFER now: a write may only leave it as it is (the engine owns paging).
ControlDecision check_msr_write(uint32_t msr, uint64_t value, uint64_t efer);

// mov to CR0, CR3 or CR4 on the emulated backend, with the vCPU's state now. KVM runs
// these on the hardware; the checks here give the #GP the CPU would, and refuse what
// Unicorn 2.0.1 can't run: page tables other than the engine's (it ignores translation
// and sets accessed bits behind the host's back) and leaving long mode.
struct ControlRegisters {
  uint64_t cr0, cr3, cr4, efer;
  bool code64;  // CS.L: the guest runs 64-bit code (not compatibility mode)
};
ControlDecision check_cr_write(int cr, uint64_t value, const ControlRegisters& now);

// The debug registers a guest sees hold what it wrote, but arm nothing: the hardware
// breakpoints are the engine's (KVM keeps the guest's values apart with
// KVM_GUESTDBG_USE_HW_BP; the emulated backend keeps them itself: a breakpoint armed in
// Unicorn 2.0.1 crashes it). One vCPU's worth, as a call starts.
struct DebugRegisters {
  uint64_t dr[4] = {0, 0, 0, 0};
  uint64_t dr6 = 0xffff0ff0, dr7 = 0x400;
};

}  // namespace microscope
