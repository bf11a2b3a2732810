// One thread for the whole process that ends runs whose time is up. Unicorn's own
// timeout starts a thread per run (~130 µs each); this costs an atomic store per run.
// It also repeats a stop until the run ends, because a stop that reaches the emulator
// before its run has begun is lost.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace microscope {

enum StopRequest : int {
  kStopCancel = 1,   // cancel() from any thread
  kStopTimeout = 2,  // the call's deadline passed
  kStopSlice = 4,    // a run on a thread that must not block (the JS thread) used its time: yield
  kStopPause = 8,    // the debugger's pause: yield, and stay paused
};

// The part of a sandbox the watchdog watches.
struct RunControl {
  std::atomic<bool> running{false};
  std::atomic<int64_t> deadline_ns{0};   // 0 = none
  std::atomic<int64_t> slice_end_ns{0};  // 0 = none
  std::atomic<int> stop_reasons{0};      // StopRequest bits
  std::function<void()> interrupt;       // stops the vCPU and wakes a host-call wait
  std::function<void()> yield;           // asks the vCPU to stop where it can go on
};

class Watchdog {
 public:
  static Watchdog& instance();

  void watch(RunControl* control);
  // After it returns, the watchdog will not touch `control` again.
  void forget(RunControl* control);
  // A run is starting: make sure the thread is ticking.
  // Call after setting RunControl::running (seq_cst).
  void run_started() {
    if (sleeping_.load()) wake();
  }

  static constexpr int64_t kTickNs = 1'000'000;

 private:
  Watchdog();
  void wake();
  void loop();

  std::mutex mutex_;
  std::condition_variable wakeup_;
  std::vector<RunControl*> controls_;
  std::atomic<bool> sleeping_{true};
  std::thread thread_;
};

}  // namespace microscope
