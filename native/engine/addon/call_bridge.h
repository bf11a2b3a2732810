// How a call under way and the JS thread that started it meet. The JS thread waits in
// call() for up to a millisecond; meanwhile the vCPU thread hands it host calls directly
// and tells it the call is done, all through `phase`. Once the JS thread has gone back
// to its event loop ("detached"), host calls and completion go through the sandbox's
// thread-safe function instead (JsThread).
//
// Each side waits for the other by spinning a few microseconds (an answer usually comes
// within one), then asleep in the kernel on `phase` (a futex), so that on a busy machine,
// where both threads may share the one CPU other work leaves, the waiting one doesn't
// take the CPU from the one it waits for (measured here with one of two cores busy: a
// guest's host call took 100 to 400 µs while both spun, instead of 3).
#pragma once

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <vector>

#include "../core/host_functions.h"
#include "spin_wait.h"

namespace microscope {

struct CallBridge {
  enum Phase : int {
    Detached,     // no JS thread waits: use the thread-safe function
    Waiting,      // the JS thread waits in call() for this call
    HostRequest,  // the vCPU thread asks the waiting JS thread to run host function `index`
    HostReplied,  // the JS thread has put the answer in `reply`
    Done,         // the call finished while the JS thread waited
  };
  std::atomic<int> phase{Detached};
  std::atomic<int> sleepers{0};  // threads asleep on `phase`

  int get() const { return phase.load(std::memory_order_acquire); }

  // Sets the phase, and wakes the other side if it sleeps on it.
  void set(int value) {
    phase.store(value, std::memory_order_seq_cst);
    if (sleepers.load(std::memory_order_seq_cst)) wake();
  }
  bool change(int expected, int value) {
    if (!phase.compare_exchange_strong(expected, value, std::memory_order_seq_cst)) return false;
    if (sleepers.load(std::memory_order_seq_cst)) wake();
    return true;
  }

  // Turn `turn` (from 0) of waiting while the phase is `seen`: a spin first, then a sleep
  // until it changes or `most_ns` pass.
  void wait(int seen, uint64_t turn, int64_t most_ns = 1'000'000) {
    if (turn < kSpinsBeforeYielding) {
      spin_wait(turn);
      return;
    }
    sleepers.fetch_add(1, std::memory_order_seq_cst);
    if (phase.load(std::memory_order_seq_cst) == seen) {
      const timespec timeout{0, long(most_ns)};
      syscall(SYS_futex, reinterpret_cast<int*>(&phase), FUTEX_WAIT_PRIVATE, seen, &timeout, nullptr, 0);
    }
    sleepers.fetch_sub(1, std::memory_order_seq_cst);
  }

  // The host call in HostRequest; written before the phase changes (release/acquire).
  size_t index = 0;
  const std::vector<Value>* args = nullptr;
  uint64_t generation = 0;
  HostReply reply;

 private:
  void wake() { syscall(SYS_futex, reinterpret_cast<int*>(&phase), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0); }
};

static_assert(sizeof(std::atomic<int>) == sizeof(int) && std::atomic<int>::is_always_lock_free,
              "a futex waits on the atomic's own int");

}  // namespace microscope
