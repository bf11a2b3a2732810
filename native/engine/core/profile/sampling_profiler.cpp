#include "sampling_profiler.h"

#include <time.h>

#include "../../../include/microscope/abi.h"
#include "../debug/frames.h"
#include "../errors.h"

namespace microscope {

SamplingProfiler::SamplingProfiler(uint64_t rate_hz) : period_ns_(rate_hz ? 1'000'000'000 / rate_hz : 0) {
  if (rate_hz < 1 || rate_hz > kMaxRateHz) {
    throw usage_error("a sampling rate must be from 1 to " + std::to_string(kMaxRateHz) + " Hz (got " +
                      std::to_string(rate_hz) + ")");
  }
}

SamplingProfiler::~SamplingProfiler() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SamplingProfiler::attach(Sandbox& sandbox) {
  if (!debug_info_) debug_info_ = std::make_unique<DebugInfo>(sandbox.image().file(), sandbox.layout().load_bias);
  // A backend with a timer of its own ticks itself; the thread here asks the others.
  if (sandbox.backend().start_sampling(period_ns_)) return;
  std::lock_guard<std::mutex> lock(mutex_);
  sandbox_ = &sandbox;
  if (!thread_.joinable()) thread_ = std::thread([this] { tick_loop(); });  // only where it is needed
  wake_.notify_all();
}

void SamplingProfiler::detach(Sandbox& sandbox) {
  sandbox.backend().stop_sampling();
  std::lock_guard<std::mutex> lock(mutex_);
  if (sandbox_ == &sandbox) sandbox_ = nullptr;
}

// Ticks at absolute times, so a late wake-up doesn't slow the rate down.
void SamplingProfiler::tick_loop() {
  timespec next{};
  clock_gettime(CLOCK_MONOTONIC, &next);
  std::unique_lock<std::mutex> lock(mutex_);
  while (!quit_) {
    if (!sandbox_) {
      wake_.wait(lock, [this] { return quit_ || sandbox_; });
      clock_gettime(CLOCK_MONOTONIC, &next);
      continue;
    }
    lock.unlock();
    next.tv_nsec += long(period_ns_);
    while (next.tv_nsec >= 1'000'000'000) {
      next.tv_nsec -= 1'000'000'000;
      ++next.tv_sec;
    }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, nullptr) == EINTR) {
    }
    lock.lock();
    if (sandbox_ && !sandbox_->request_sample()) ticks_outside_.fetch_add(1, std::memory_order_relaxed);
  }
}

void SamplingProfiler::sample(Sandbox& sandbox) {
  Backend& backend = sandbox.backend();
  const Registers r = backend.registers();
  // The integer registers are all an unwind reads; the SSE ones would cost KVM an ioctl.
  FrameState state;
  const uint64_t values[17] = {r.rax, r.rdx, r.rcx, r.rbx, r.rsi, r.rdi, r.rbp, r.rsp, r.r8,
                               r.r9,  r.r10, r.r11, r.r12, r.r13, r.r14, r.r15, r.rip};
  for (int reg = 0; reg < 17; ++reg) state.set(reg, values[reg]);
  std::vector<uint64_t> stack;
  for (const FrameState& frame : backtrace(debug_info_.get(), sandbox.memory(), state, MS_HALT_ADDRESS))
    stack.push_back(frame.rip());
  ++stacks_[std::move(stack)];
}

CpuProfile SamplingProfiler::collect(const GuestMemory& /*memory*/) const {
  CpuProfile profile;
  profile.kind = CpuProfile::Kind::Sampled;
  profile.period_ns = period_ns_;
  profile.calls = calls_;
  profile.ticks_outside = ticks_outside_.load();
  for (const auto& [addresses, count] : stacks_) profile.stacks.push_back(ProfileStack{addresses, count});
  return profile;
}

}  // namespace microscope
