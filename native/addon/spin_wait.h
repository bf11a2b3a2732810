// Waiting for another thread of ours by spinning: a call's reply arrives within a
// fraction of a microsecond, not after a futex wake-up. But with one CPU to run on (a
// small VM, a taskset, a cgroup) the other thread can't move while we spin, and each
// spin lasts until the scheduler's time slice ends: there, give it the CPU instead.
#pragma once

#include <sched.h>

namespace microscope {

// Whether this process may run on more than one CPU (measured once).
inline bool spinning_helps() {
  static const bool helps = [] {
    cpu_set_t set;
    return sched_getaffinity(0, sizeof set, &set) != 0 || CPU_COUNT(&set) > 1;
  }();
  return helps;
}

// One turn of a wait for another thread of this process.
inline void spin_wait() {
  if (spinning_helps()) __builtin_ia32_pause();
  else sched_yield();
}

}  // namespace microscope
