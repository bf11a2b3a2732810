#include "vcpu_thread.h"

namespace microscope {

VcpuThread::VcpuThread() : thread_([this] { loop(); }) {}

VcpuThread::~VcpuThread() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
    jobs_.clear();
  }
  wakeup_.notify_one();
  thread_.join();
}

void VcpuThread::post(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  wakeup_.notify_one();
}

void VcpuThread::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wakeup_.wait(lock, [this] { return quit_ || !jobs_.empty(); });
    if (quit_) return;
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    lock.lock();
  }
}

}  // namespace microscope
