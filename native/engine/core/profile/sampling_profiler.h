// The sampled CPU profile, on any backend: at the rate asked for, the running call yields.
// On KVM a timer signals the vCPU's own thread (kvm/sample_timer.h), which knocks it out of
// KVM_RUN as a cancel does; elsewhere a thread here ticks and asks the sandbox running a
// call to yield (the emulated backend: at the next block). At the yield,
// on the sandbox's own thread, the stack is unwound from guest memory (CFI, else frame
// pointers: debug/frames.h) and counted; then the run goes on where it was. The guest
// sees nothing change but the time.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "../debug/debug_info.h"
#include "../sandbox.h"
#include "cpu_profile.h"

namespace microscope {

class SamplingProfiler final : public ProfileRecorder {
 public:
  explicit SamplingProfiler(uint64_t rate_hz);  // throws unless 1 <= rate_hz <= kMaxRateHz
  ~SamplingProfiler() override;
  SamplingProfiler(const SamplingProfiler&) = delete;
  SamplingProfiler& operator=(const SamplingProfiler&) = delete;

  // More than this and the samples cost more than the calls they measure.
  static constexpr uint64_t kMaxRateHz = 100'000;

  void attach(Sandbox& sandbox) override;
  void detach(Sandbox& sandbox) override;
  void call_began(Sandbox& /*sandbox*/) override { ++calls_; }
  void sample(Sandbox& sandbox) override;

  CpuProfile collect(const GuestMemory& /*memory*/) const override;

 private:
  void tick_loop();

  const uint64_t period_ns_;
  std::unique_ptr<DebugInfo> debug_info_;  // the first sandbox's image; all share it
  std::map<std::vector<uint64_t>, uint64_t> stacks_;
  uint64_t calls_ = 0;

  std::mutex mutex_;  // guards sandbox_ against a detach while a tick uses it
  std::condition_variable wake_;
  Sandbox* sandbox_ = nullptr;
  bool quit_ = false;
  std::atomic<uint64_t> ticks_outside_{0};  // the ticking thread's (a backend's own timer counts none)
  std::thread thread_;
};

}  // namespace microscope
