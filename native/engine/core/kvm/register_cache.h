// A KVM vCPU's general registers as of its last exit, fetched at most once per exit and
// handed back at the next KVM_RUN: through kvm_run's synced copy where KVM offers it, so
// a call with integer arguments and result is one KVM_RUN and no other ioctl.
#pragma once

#include <linux/kvm.h>

namespace microscope {

class RegisterCache {
 public:
  RegisterCache(int vcpu, kvm_run* run, bool sync_regs) : vcpu_(vcpu), run_(run), sync_regs_(sync_regs) {}

  const kvm_regs& current();
  kvm_regs& for_update();  // changed by the caller, handed to KVM before it runs
  void flush();            // changes to KVM now, before an ioctl reads them
  void push_for_run();     // before KVM_RUN
  void after_run();        // after KVM_RUN: what is cached is stale
  void forget();           // the vCPU's registers were set by other means

 private:
  int vcpu_;
  kvm_run* run_;
  bool sync_regs_;
  kvm_regs regs_{};
  bool cached_ = false, dirty_ = false;
};

}  // namespace microscope
