#include "watchdog.h"

#include <algorithm>

#include "clock.h"

namespace microscope {

namespace {
// After the last run ends the thread keeps ticking a while, so a loop of short calls
// doesn't pay a wake-up (a futex call) on each.
constexpr int64_t kLingerNs = 100'000'000;
}  // namespace

Watchdog& Watchdog::instance() {
  // Never destroyed: sandboxes may outlive static destruction order at process exit.
  static Watchdog* watchdog = new Watchdog();
  return *watchdog;
}

Watchdog::Watchdog() {
  thread_ = std::thread([this] { loop(); });
  thread_.detach();
}

void Watchdog::watch(RunControl* control) {
  std::lock_guard<std::mutex> lock(mutex_);
  controls_.push_back(control);
}

void Watchdog::forget(RunControl* control) {
  std::lock_guard<std::mutex> lock(mutex_);
  controls_.erase(std::remove(controls_.begin(), controls_.end(), control), controls_.end());
}

void Watchdog::wake() {
  std::lock_guard<std::mutex> lock(mutex_);
  sleeping_.store(false);
  wakeup_.notify_one();
}

void Watchdog::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  int64_t last_activity = monotonic_ns();
  for (;;) {
    const int64_t now = monotonic_ns();
    bool any_running = false;
    for (RunControl* control : controls_) {
      if (!control->running.load(std::memory_order_acquire)) continue;
      any_running = true;
      int reasons = 0;
      const int64_t deadline = control->deadline_ns.load(std::memory_order_relaxed);
      const int64_t slice_end = control->slice_end_ns.load(std::memory_order_relaxed);
      if (deadline && now >= deadline) reasons |= kStopTimeout;
      if (slice_end && now >= slice_end) reasons |= kStopSlice;
      if (reasons) control->stop_reasons.fetch_or(reasons, std::memory_order_acq_rel);
      // Stops and yields are repeated every tick until the run ends.
      const int pending = control->stop_reasons.load(std::memory_order_acquire);
      if (pending & (kStopCancel | kStopTimeout))
        control->interrupt();
      else if (pending & (kStopSlice | kStopPause))
        control->yield();
    }
    if (any_running) last_activity = now;
    if (now - last_activity > kLingerNs) {
      // Announce the sleep, then look once more: a run that started in between either
      // is seen here or sees `sleeping_` and wakes the thread (both sides are seq_cst).
      sleeping_.store(true);
      const bool started =
          std::any_of(controls_.begin(), controls_.end(), [](RunControl* c) { return c->running.load(); });
      if (started) {
        sleeping_.store(false);
        continue;
      }
      wakeup_.wait(lock, [this] { return !sleeping_.load(); });
      last_activity = monotonic_ns();
    } else {
      wakeup_.wait_for(lock, std::chrono::nanoseconds(kTickNs));
    }
  }
}

}  // namespace microscope
