#include "kvm_msrs.h"

#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>

#include "../control_policy.h"
#include "../errors.h"
#include "kvm_registers.h"

namespace microscope {

namespace {

void check(int result, const char* what) {
  if (result < 0) throw EngineError(ErrorKind::Backend, std::string("KVM: ") + what + ": " + std::strerror(errno));
}

}  // namespace

void filter_msrs(int vm) {
  kvm_enable_cap cap{};
  cap.cap = KVM_CAP_X86_USER_SPACE_MSR;
  cap.args[0] = KVM_MSR_EXIT_REASON_FILTER | KVM_MSR_EXIT_REASON_UNKNOWN | KVM_MSR_EXIT_REASON_INVAL;
  check(ioctl(vm, KVM_ENABLE_CAP, &cap), "KVM_ENABLE_CAP (KVM_CAP_X86_USER_SPACE_MSR)");
  // Deny by default; one range (denying MSR 0) because some kernels refuse an empty filter.
  static uint8_t deny_bitmap[1] = {0};
  kvm_msr_filter filter{};
  filter.flags = KVM_MSR_FILTER_DEFAULT_DENY;
  filter.ranges[0].flags = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE;
  filter.ranges[0].nmsrs = 1;
  filter.ranges[0].base = 0;
  filter.ranges[0].bitmap = deny_bitmap;
  check(ioctl(vm, KVM_X86_SET_MSR_FILTER, &filter), "KVM_X86_SET_MSR_FILTER");
}

void KvmMsrs::serve(int vcpu, kvm_run* run, bool write, uint64_t rip) {
  auto& msr = run->msr;
  ControlDecision decision;
  if (write) {
    kvm_sregs sregs;
    check(ioctl(vcpu, KVM_GET_SREGS, &sregs), "KVM_GET_SREGS");
    decision = check_msr_write(msr.index, msr.data, sregs.efer);
  } else {
    decision = check_msr_read(msr.index);
  }
  bool done = decision.verdict == ControlDecision::Allow;
  if (done) {
    uint64_t value = msr.data;
    done = write ? write_kvm_msr(vcpu, msr.index, value) : read_kvm_msr(vcpu, msr.index, &value);
    if (done && !write) msr.data = value;
    if (!done)
      decision =
          ControlDecision::fault("KVM refused " + std::string(write ? "wrmsr" : "rdmsr") + " of MSR " + hex(msr.index));
  }
  msr.error = done ? 0 : 1;
  if (!done) {
    refused_rip_ = rip;
    why_ = decision.why;
  }
}

std::string KvmMsrs::refusal_at(uint64_t rip) {
  std::string why = refused_rip_ == rip ? why_ : "";
  refused_rip_ = 0;
  why_.clear();
  return why;
}

}  // namespace microscope
