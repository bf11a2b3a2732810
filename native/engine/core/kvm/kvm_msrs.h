// MSRs on KVM: every rdmsr and wrmsr exits to the engine (KVM's MSR filter, denying all),
// which applies the control policy both backends share (core/control_policy.h). An MSR
// it refuses is a #GP, which KVM injects; the fault stub then reports it, with the
// policy's reason.
#pragma once

#include <linux/kvm.h>

#include <cstdint>
#include <string>

namespace microscope {

// Turns the filter on for VM `vm`; throws when KVM refuses.
void filter_msrs(int vm);

class KvmMsrs {
 public:
  // A KVM_EXIT_X86_RDMSR or _WRMSR exit of `vcpu` at `rip`: answered in `run`.
  void serve(int vcpu, kvm_run* run, bool write, uint64_t rip);
  // Why the #GP at `rip` came, when it was the engine's refusal ("" otherwise); forgets it.
  std::string refusal_at(uint64_t rip);

 private:
  uint64_t refused_rip_ = 0;
  std::string why_;
};

}  // namespace microscope
