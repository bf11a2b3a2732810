// The thread a sandbox's calls move to when they may block: a long-running guest, a host
// function that answers later, a measuring loop. One per sandbox, made on first need.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace microscope {

class VcpuThread {
 public:
  VcpuThread();
  ~VcpuThread();  // finishes the job under way, drops queued ones, joins

  void post(std::function<void()> job);

 private:
  void loop();

  std::mutex mutex_;
  std::condition_variable wakeup_;
  std::deque<std::function<void()>> jobs_;
  bool quit_ = false;
  std::thread thread_;
};

}  // namespace microscope
