// Knocking a vCPU's thread out of KVM_RUN from any thread (cancel, timeout, moving a
// call, pause): kvm_run.immediate_exit, for a kick that comes before KVM_RUN, and a
// signal (SIGRTMIN+5, with a handler that does nothing: the point is KVM_RUN's EINTR) to
// the thread in it. The watchdog repeats both every millisecond until the run ends.
#pragma once

#include <linux/kvm.h>
#include <pthread.h>

#include <atomic>

namespace microscope {

class VcpuKick {
 public:
  VcpuKick();  // installs the signal's handler, once per process
  // On the vCPU's thread, around each KVM_RUN loop.
  void enter(kvm_run* run);
  void leave() { in_run_.store(false, std::memory_order_release); }
  // Any thread.
  void kick(kvm_run* run);

 private:
  std::atomic<pthread_t> thread_{};
  std::atomic<bool> in_run_{false};
};

}  // namespace microscope
