#include "vcpu_kick.h"

#include <signal.h>

#include "sample_timer.h"

namespace microscope {

namespace {

int stop_signal() {
  static const int signal_number = [] {
    const int number = SIGRTMIN + 5;
    struct sigaction action {};
    action.sa_handler = [](int) {};
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: KVM_RUN must return EINTR
    sigaction(number, &action, nullptr);
    return number;
  }();
  return signal_number;
}

}  // namespace

VcpuKick::VcpuKick() { stop_signal(); }

void VcpuKick::enter(kvm_run* run) {
  static thread_local bool unblocked = false;
  if (!unblocked) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, stop_signal());
    sigaddset(&set, SampleTimer::signal_number());
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    unblocked = true;
  }
  thread_.store(pthread_self(), std::memory_order_release);
  in_run_.store(true, std::memory_order_release);
  run->immediate_exit = 0;
}

void VcpuKick::kick(kvm_run* run) {
  if (run) run->immediate_exit = 1;
  if (in_run_.load(std::memory_order_acquire)) pthread_kill(thread_.load(std::memory_order_acquire), stop_signal());
}

}  // namespace microscope
