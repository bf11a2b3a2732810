// A CPU profile's ticks on KVM: a POSIX timer that signals the vCPU's own thread
// (timer_create with SIGEV_THREAD_ID) at the rate asked for. The signal knocks the thread
// out of KVM_RUN with EINTR, as a cancel's does, and the run yields for its sample; no
// other thread wakes, so a tick costs the exit and the sample, not two context switches
// (on a machine with one CPU, a ticking thread preempts the vCPU's every time).
#pragma once

#include <sys/types.h>
#include <time.h>

#include <cstdint>

namespace microscope {

class SampleTimer {
 public:
  // SIGRTMIN+6, its handler (which only counts) installed once per process.
  static int signal_number();

  ~SampleTimer() { stop(); }
  // Signals `thread` every `period_ns`; false when the kernel refuses.
  bool start(pid_t thread, uint64_t period_ns);
  void stop();
  bool running() const { return armed_; }
  // On the vCPU's thread, after KVM_RUN returned EINTR: whether a tick came since the last
  // one it said so of. (The count is the process's: a tick for another sandbox's thread
  // can only make one extra sample here.)
  bool ticked();

 private:
  timer_t timer_{};
  bool armed_ = false;
  uint64_t seen_ = 0;
};

}  // namespace microscope
