// The thread a sandbox's guest runs on: every call, init and state change of the
// sandbox happens here, so a vCPU stays on the thread that made it (KVM asks for that).
//
// The sandbox gives it one job at a time (a call waits for the previous one), so jobs
// pass through a single slot. After a job the thread spins briefly before sleeping: the
// next call of a loop then starts within a fraction of a microsecond, not after a
// futex wake-up.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace microscope {

class VcpuThread {
 public:
  VcpuThread();
  ~VcpuThread();  // finishes the job under way, then joins

  // Hands over the next job; the previous one must have started.
  void post(std::function<void()> job);
  // Runs `job` on the thread and returns when it has run (for quick jobs).
  void run_and_wait(const std::function<void()>& job);

  static constexpr int64_t kSpinNs = 200'000;

 private:
  void loop();

  std::function<void()> job_;
  std::atomic<bool> full_{false};
  std::atomic<bool> sleeping_{false};
  std::atomic<bool> quit_{false};
  std::mutex mutex_;
  std::condition_variable wakeup_;
  std::thread thread_;
};

}  // namespace microscope
