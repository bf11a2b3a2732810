// Waiting for another thread of ours by spinning: a call's reply arrives within a
// fraction of a microsecond, not after a futex wake-up. But the other thread may not be
// running: with one CPU to run on (a small VM, a taskset, a cgroup), or on a busy machine
// where both threads share the one CPU the other work leaves, each spin would last until
// the scheduler's time slice ends (measured here with one of two cores busy: a guest's
// host call took 400 µs instead of 2). So a wait spins a few microseconds, then yields
// the CPU at every turn.
#pragma once

#include <sched.h>

#include <cstdint>

namespace microscope {

// Whether this process may run on more than one CPU (measured once).
inline bool spinning_helps() {
  static const bool helps = [] {
    cpu_set_t set;
    return sched_getaffinity(0, sizeof set, &set) != 0 || CPU_COUNT(&set) > 1;
  }();
  return helps;
}

// About 20 µs of `pause` (one is 40 to 140 cycles): more than a host call's round trip.
constexpr uint64_t kSpinsBeforeYielding = 500;

// Turn `turn` (from 0) of a wait for another thread of this process.
inline void spin_wait(uint64_t turn) {
  if (spinning_helps() && turn < kSpinsBeforeYielding)
    __builtin_ia32_pause();
  else
    sched_yield();
}

}  // namespace microscope
