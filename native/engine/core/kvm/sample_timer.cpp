#include "sample_timer.h"

#include <signal.h>

#include <atomic>
#include <cstring>

namespace microscope {

namespace {

std::atomic<uint64_t> ticks{0};  // lock-free: counted in a signal handler

}  // namespace

int SampleTimer::signal_number() {
  static const int number = [] {
    const int n = SIGRTMIN + 6;
    struct sigaction action {};
    action.sa_handler = [](int) { ticks.fetch_add(1, std::memory_order_relaxed); };
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: KVM_RUN must return EINTR
    sigaction(n, &action, nullptr);
    return n;
  }();
  return number;
}

bool SampleTimer::start(pid_t thread, uint64_t period_ns) {
  stop();
  sigevent event;
  std::memset(&event, 0, sizeof event);
  event.sigev_notify = SIGEV_THREAD_ID;
  event.sigev_signo = signal_number();
  event._sigev_un._tid = thread;
  if (timer_create(CLOCK_MONOTONIC, &event, &timer_) != 0) return false;
  itimerspec period{};
  period.it_interval.tv_sec = time_t(period_ns / 1'000'000'000);
  period.it_interval.tv_nsec = long(period_ns % 1'000'000'000);
  period.it_value = period.it_interval;
  if (timer_settime(timer_, 0, &period, nullptr) != 0) {
    timer_delete(timer_);
    return false;
  }
  seen_ = ticks.load(std::memory_order_relaxed);
  armed_ = true;
  return true;
}

void SampleTimer::stop() {
  if (!armed_) return;
  timer_delete(timer_);
  armed_ = false;
}

bool SampleTimer::ticked() {
  const uint64_t now = ticks.load(std::memory_order_relaxed);
  if (now == seen_) return false;
  seen_ = now;
  return true;
}

}  // namespace microscope
