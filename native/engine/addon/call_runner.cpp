#include "call_runner.h"

#include "../core/backend_choice.h"
#include "../core/clock.h"
#include "addon_state.h"

namespace microscope {

namespace {

// How long a call runs on the JS thread (emulated backend) or call() waits there for the
// vCPU thread (KVM) before it returns a pending promise and lets the event loop go on.
constexpr int64_t kJsSliceNs = 1'000'000;
constexpr int64_t kJsWaitNs = 1'000'000;

EngineError disposed() { return usage_error("the sandbox has been disposed"); }

}  // namespace

// The init: the Sandbox is made on the vCPU thread, where it will always run.
class CallRunner::InitWork : public Work {
 public:
  explicit InitWork(CallRunner& runner) : runner_(runner) {}
  void run(CallRunner& runner, bool) override {
    runner.sandbox_ = std::make_unique<Sandbox>(runner.image_, runner.options_, runner.host_.get());
    runner.sandbox_->begin_init();
    if (runner.cancel_requested_) runner.sandbox_->cancel();
    runner.sandbox_->run();
    result_ = &runner.sandbox_->finish();
  }
  void settle(Napi::Env env, Napi::Promise::Deferred& deferred) override {
    if (result_->kind == OutcomeKind::Returned)
      deferred.Resolve(env.Undefined());
    else
      deferred.Reject(runner_.state_->errors.from_outcome(env, *result_, runner_.sandbox_->backend_name()));
  }

 private:
  CallRunner& runner_;
  const CallOutcome* result_ = nullptr;
};

CallRunner::CallRunner(Napi::Env env, AddonState* state, std::shared_ptr<const ElfImage> image,
                       const SandboxOptions& options, Napi::Array host_functions)
    : state_(state), image_(std::move(image)), options_(options) {
  plan_layout(*image_, options_.layout);  // bad options and misplaced segments fail here
  choose_backend(options_.backend);
  js_thread_ = std::make_unique<JsThread>(env);
  host_ = std::make_unique<JsHostFunctions>(env, host_functions, js_thread_.get(), &bridge_,
                                            [this](Napi::Env env) { rejoin(env); });
  vcpu_ = std::make_unique<VcpuThread>();
  init_work_ = std::make_unique<InitWork>(*this);
}

CallRunner::~CallRunner() { release(); }

void CallRunner::release() {
  cancel_requested_ = true;
  if (vcpu_ && sandbox_ && !(pending_ && pending_->work == init_work_.get())) sandbox_->cancel();
  vcpu_.reset();  // joins once the job under way, now cancelled, has ended
  pending_.reset();
  debugger_.reset();  // it holds the sandbox
  sandbox_.reset();
  host_.reset();
  js_thread_.reset();
}

void CallRunner::shut_down() { release(); }

void CallRunner::throw_error(Napi::Env env, const EngineError& error) {
  throw Napi::Error(env, state_->errors.from_engine_error(env, error));
}

Sandbox* CallRunner::made() const {
  return sandbox_ && !(pending_ && pending_->work == init_work_.get()) ? sandbox_.get() : nullptr;
}

Sandbox& CallRunner::idle() {
  Sandbox& box = inspectable();
  if (debugger_ && debugger_->active()) {
    throw EngineError(ErrorKind::Busy, "a call of " + image_->exports()[debugger_->function()].name +
                                           " is being debugged: end it first");
  }
  return box;
}

Sandbox& CallRunner::inspectable() {
  if (!vcpu_ || dispose_requested_) throw disposed();
  if (pending_) throw EngineError(ErrorKind::Busy, "the sandbox is running a call");
  if (!sandbox_ || !sandbox_->initialized()) throw usage_error("the sandbox is not initialised");
  return *sandbox_;
}

Debugger& CallRunner::debugger() {
  if (!debugger_) debugger_ = std::make_unique<Debugger>(*sandbox_);
  return *debugger_;
}

void CallRunner::run_now(const std::function<void()>& job) {
  std::optional<EngineError> error;
  vcpu_->run_and_wait([&] {
    try {
      job();
    } catch (const EngineError& e) {
      error = e;
    }
  });
  if (error) throw *error;
}

Napi::Value CallRunner::init(Napi::Env env, Napi::Object owner) {
  if (!vcpu_ || dispose_requested_) throw disposed();
  if (pending_ || sandbox_) throw usage_error("the sandbox has already been initialised");
  return start(env, owner, *init_work_, true);
}

Napi::Value CallRunner::start(Napi::Env env, Napi::Object owner, Work& work, bool wait) {
  resume_ = false;
  job_error_.reset();
  cancel_requested_ = false;
  completion_posted_.store(false, std::memory_order_relaxed);

  // A call the backend lets run on any thread starts right here: no thread hop at all.
  const bool here = wait && work.begins_here() && sandbox_->backend().runs_on_any_thread();
  if (here) work.begin(*sandbox_);  // may throw: nothing started yet
  pending_ = Pending{Napi::Promise::Deferred::New(env), &work};
  Napi::Promise promise = pending_->deferred.Promise();
  if (here) {
    if (sandbox_->run(false, kJsSliceNs) == Sandbox::Step::Finished) {
      work.finished_here(*sandbox_);
      complete(env);
      return promise;
    }
    resume_ = true;  // it ran a slice, or waits for a promise: the vCPU thread goes on
    bridge_.set(CallBridge::Detached);
  } else {
    bridge_.set(wait ? CallBridge::Waiting : CallBridge::Detached);
  }
  vcpu_->post(run_job_);
  if (!here && wait && wait_for_vcpu(env)) return promise;
  // Too long to wait for here: the vCPU thread reports through the event loop.
  owner_ = Napi::Persistent(owner);
  js_thread_->keep_alive(env, true);
  return promise;
}

bool CallRunner::wait_for_vcpu(Napi::Env env) {
  const int64_t give_up_at = monotonic_ns() + kJsWaitNs;
  uint64_t turn = 0;  // of waiting since the vCPU thread last asked something
  for (uint32_t spins = 1;; ++spins) {
    const int phase = bridge_.get();
    if (phase == CallBridge::Done) {
      bridge_.set(CallBridge::Detached);
      complete(env);
      return true;
    }
    if (phase == CallBridge::HostRequest) {
      if (host_->invoke(env, bridge_.index, *bridge_.args, bridge_.generation, &bridge_.reply)) {
        bridge_.set(CallBridge::HostReplied);
        turn = 0;
        continue;
      }
      bridge_.set(CallBridge::Detached);  // a promise: wait in the loop
      return false;
    }
    const int64_t now = (spins % 64 == 0 || turn >= kSpinsBeforeYielding) ? monotonic_ns() : 0;
    if (now > give_up_at) {
      if (bridge_.change(CallBridge::Waiting, CallBridge::Detached)) return false;
      continue;  // the vCPU thread got in first: serve that
    }
    bridge_.wait(phase, turn++, now ? give_up_at - now : kJsWaitNs);
  }
}

void CallRunner::rejoin(Napi::Env env) {
  // A host call came through the event loop; the guest is likely to make more. Wait
  // here again a while, so they are served directly.
  if (!pending_ || completion_posted_.load(std::memory_order_acquire)) return;
  if (bridge_.change(CallBridge::Detached, CallBridge::Waiting)) {
    if (wait_for_vcpu(env)) {
      owner_.Reset();
      js_thread_->keep_alive(env, false);
    }
  }
}

// On the vCPU thread: the work start() handed over.
void CallRunner::run_job() {
  try {
    pending_->work->run(*this, resume_);
  } catch (const EngineError& error) {
    job_error_ = error;
  }
  finish_job();
}

void CallRunner::finish_job() {
  if (bridge_.change(CallBridge::Waiting, CallBridge::Done)) return;
  completion_posted_.store(true, std::memory_order_release);
  js_thread_->post([this](Napi::Env env) {
    owner_.Reset();
    js_thread_->keep_alive(env, false);
    complete(env);
  });
}

void CallRunner::complete(Napi::Env env) {
  if (!pending_) return;  // released at teardown
  Pending pending = std::move(*pending_);
  pending_.reset();
  if (job_error_)
    pending.deferred.Reject(state_->errors.from_engine_error(env, *job_error_));
  else
    pending.work->settle(env, pending.deferred);
  if (dispose_requested_) release();
}

void CallRunner::cancel() {
  if (!pending_) return;
  cancel_requested_ = true;
  // During init the vCPU thread is still making `sandbox_`; the flag is enough there.
  if (pending_->work != init_work_.get()) sandbox_->cancel();
}

void CallRunner::dispose() {
  if (pending_) {
    // Finish the work under way (it is cancelled), then free the engine.
    dispose_requested_ = true;
    cancel();
  } else {
    release();
  }
}

}  // namespace microscope
