// Work on a sandbox's vCPU thread for the JS thread: the guest runs on the sandbox's own
// thread, and a piece of work (the init, a call, a measurement, a trace, a debugger step)
// is begun on the JS thread, run there, and settled as a promise on the JS thread. A call
// waits for it on the JS thread for up to a millisecond, serving its host calls there: a
// short call then costs no trip through the event loop. A longer one returns a pending
// promise and the event loop carries on. On the emulated backend a call starts on the JS
// thread itself, with no thread hop at all, and moves once it has run a millisecond.
//
// One runner per sandbox, owned by its NativeSandbox (sandbox_object.h) and shared with
// its NativeDebugger (debugger_object.h). It owns what lives as long as the micro-VM: the
// engine's Sandbox, its Debugger, the threads and the JS host functions.
#pragma once

#include <napi.h>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

#include "../core/debug/debugger.h"
#include "../core/errors.h"
#include "../core/sandbox.h"
#include "call_bridge.h"
#include "js_host_functions.h"
#include "js_thread.h"
#include "vcpu_thread.h"

namespace microscope {

class AddonState;

class CallRunner {
 public:
  // One piece of work; its object outlives the work (the owner keeps one of each kind).
  class Work {
   public:
    virtual ~Work() = default;
    // A call the backend lets run on any thread may begin on the JS thread: then begin()
    // starts it there (it may throw: nothing has started), and run() goes on with it.
    virtual bool begins_here() const { return false; }
    virtual void begin(Sandbox& /*sandbox*/) {}
    // It ran to its end on the JS thread, within its first slice.
    virtual void finished_here(Sandbox& /*sandbox*/) {}
    // On the vCPU thread; `resumed` when begin() started it on the JS thread. Throws an
    // EngineError to reject the promise with it.
    virtual void run(CallRunner& runner, bool resumed) = 0;
    // On the JS thread, once it ran.
    virtual void settle(Napi::Env env, Napi::Promise::Deferred& deferred) = 0;
  };

  CallRunner(Napi::Env env, AddonState* state, std::shared_ptr<const ElfImage> image, const SandboxOptions& options,
             Napi::Array host_functions);
  ~CallRunner();

  // init(): makes the micro-VM on the vCPU thread and runs the guest's init.
  Napi::Value init(Napi::Env env, Napi::Object owner);
  // Hands `work` to the vCPU thread (after begin() on the JS thread where it can) and,
  // when `wait`, waits for it a while. `owner` is kept alive until the work settles.
  Napi::Value start(Napi::Env env, Napi::Object owner, Work& work, bool wait);
  // Runs `job` on the vCPU thread now and throws here what it threw there (quick jobs:
  // state changes, the debugger's tables).
  void run_now(const std::function<void()>& job);

  Sandbox& idle();         // throws when disposed, not initialised, busy or debugging a call
  Sandbox& inspectable();  // the same, but a debugged call may be paused
  Sandbox* made() const;   // the sandbox once init has made it, else null
  Debugger& debugger();    // made on first use; the vCPU thread or an idle sandbox only
  Debugger* existing_debugger() const { return debugger_.get(); }
  const ElfImage& image() const { return *image_; }
  const SandboxOptions& options() const { return options_; }
  bool busy() const { return pending_.has_value(); }
  // Set by cancel() and dispose(): work that runs long (a measurement) stops at it.
  const std::atomic<bool>& cancel_requested() const { return cancel_requested_; }
  AddonState& state() const { return *state_; }

  void cancel();
  void dispose();    // now, or once the work under way (cancelled) has ended
  void shut_down();  // at environment teardown: stop whatever runs and free the engine
  [[noreturn]] void throw_error(Napi::Env env, const EngineError& error);

 private:
  class InitWork;

  void run_job();
  bool wait_for_vcpu(Napi::Env env);  // at most kJsWaitNs, serving host calls; true when done
  void rejoin(Napi::Env env);
  void finish_job();  // on the vCPU thread, at the end of every started job
  void complete(Napi::Env env);
  void release();

  AddonState* state_;
  std::shared_ptr<const ElfImage> image_;
  SandboxOptions options_;
  CallBridge bridge_;
  std::unique_ptr<JsThread> js_thread_;
  std::unique_ptr<JsHostFunctions> host_;
  std::unique_ptr<VcpuThread> vcpu_;
  std::unique_ptr<Sandbox> sandbox_;  // made, used and destroyed on the vCPU thread
  std::unique_ptr<Debugger> debugger_;
  std::unique_ptr<Work> init_work_;

  // The work under way: written on the JS thread before it is posted; what it produced is
  // written on the vCPU thread before `bridge_` or the thread-safe function publishes it.
  struct Pending {
    Napi::Promise::Deferred deferred;
    Work* work;
  };
  std::optional<Pending> pending_;
  bool resume_ = false;  // the vCPU thread goes on with a call the JS thread began
  std::function<void()> run_job_ = [this] { run_job(); };
  std::optional<EngineError> job_error_;
  std::atomic<bool> cancel_requested_{false};
  std::atomic<bool> completion_posted_{false};
  Napi::ObjectReference owner_;  // holds the JS object while work is under way
  bool dispose_requested_ = false;
};

}  // namespace microscope
