// The engine's register structs and KVM's, and a whole vCPU state saved with ioctls.
#pragma once

#include <linux/kvm.h>

#include <memory>

#include "../backend.h"

namespace microscope {

Registers from_kvm(const kvm_regs& regs);
void to_kvm(const Registers& registers, kvm_regs* regs);
SpecialRegisters from_kvm(const kvm_sregs& sregs);
void to_kvm(const SpecialRegisters& registers, kvm_sregs* sregs);

// The long-mode entry state of native/README.md, with `efer_extra` added to EFER.
void write_kvm_entry_state(int vcpu, uint64_t efer_extra);

// Everything of the vCPU a guest can change: registers, special registers, the FPU/SSE
// state, the MSRs a guest may write (control_policy.h), the debug registers, and, when
// `events` (a call that didn't end at the halt stub), pending exceptions and the like.
std::unique_ptr<CpuState> save_kvm_cpu(int vcpu);
void restore_kvm_cpu(int vcpu, const CpuState& state, bool events);

// One MSR through KVM_GET_MSRS / KVM_SET_MSRS; false when KVM refuses it.
bool read_kvm_msr(int vcpu, uint32_t index, uint64_t* value);
bool write_kvm_msr(int vcpu, uint32_t index, uint64_t value);

}  // namespace microscope
