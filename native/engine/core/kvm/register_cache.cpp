#include "register_cache.h"

#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "../errors.h"

namespace microscope {

namespace {

void check(int result, const char* what) {
  if (result < 0) throw EngineError(ErrorKind::Backend, std::string("KVM: ") + what + ": " + std::strerror(errno));
}

}  // namespace

const kvm_regs& RegisterCache::current() {
  if (!cached_) {
    if (sync_regs_ && run_->kvm_valid_regs & KVM_SYNC_X86_REGS)
      regs_ = run_->s.regs.regs;
    else
      check(ioctl(vcpu_, KVM_GET_REGS, &regs_), "KVM_GET_REGS");
    cached_ = true;
  }
  return regs_;
}

kvm_regs& RegisterCache::for_update() {
  current();
  dirty_ = true;
  return regs_;
}

void RegisterCache::flush() {
  if (!dirty_) return;
  check(ioctl(vcpu_, KVM_SET_REGS, &regs_), "KVM_SET_REGS");
  dirty_ = false;
}

void RegisterCache::push_for_run() {
  if (dirty_) {
    if (sync_regs_) {
      run_->s.regs.regs = regs_;
      run_->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
    } else {
      check(ioctl(vcpu_, KVM_SET_REGS, &regs_), "KVM_SET_REGS");
    }
    dirty_ = false;
  }
  if (sync_regs_) run_->kvm_valid_regs = KVM_SYNC_X86_REGS;
}

void RegisterCache::after_run() {
  if (sync_regs_) run_->kvm_dirty_regs = 0;
  cached_ = false;
}

void RegisterCache::forget() {
  cached_ = false;
  dirty_ = false;
}

}  // namespace microscope
