#include "vcpu_thread.h"

#include "../core/clock.h"
#include "spin_wait.h"

namespace microscope {

VcpuThread::VcpuThread() : thread_([this] { loop(); }) {}

VcpuThread::~VcpuThread() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_.store(true);
  }
  wakeup_.notify_one();
  thread_.join();
}

void VcpuThread::post(std::function<void()> job) {
  job_ = std::move(job);
  full_.store(true);  // seq_cst, paired with the sleeper's check in loop()
  if (sleeping_.load()) {
    std::lock_guard<std::mutex> lock(mutex_);
    wakeup_.notify_one();
  }
}

void VcpuThread::run_and_wait(const std::function<void()>& job) {
  std::atomic<bool> done{false};
  post([&] {
    job();
    done.store(true, std::memory_order_release);
  });
  for (uint64_t turn = 0; !done.load(std::memory_order_acquire); ++turn) spin_wait(turn);
}

void VcpuThread::loop() {
  for (;;) {
    const int64_t spin_until = monotonic_ns() + kSpinNs;
    for (uint32_t i = 1; !full_.load(std::memory_order_acquire) && !quit_.load(std::memory_order_relaxed); ++i) {
      spin_wait(i);
      if (i % 256 == 0 && monotonic_ns() > spin_until) {
        std::unique_lock<std::mutex> lock(mutex_);
        sleeping_.store(true);
        wakeup_.wait(lock, [this] { return full_.load() || quit_.load(); });
        sleeping_.store(false);
      }
    }
    if (quit_.load()) return;
    std::function<void()> job = std::move(job_);
    full_.store(false, std::memory_order_release);
    job();
  }
}

}  // namespace microscope
