// The JS face of a sandbox (wrapped by native/lib/sandbox.ts). The guest runs on the
// sandbox's vCPU thread. A call waits for it on the JS thread for up to a millisecond,
// serving its host calls there: a short call then costs no trip through the event loop.
// A longer one returns a pending promise and the event loop carries on.
#pragma once

#include <napi.h>

#include <atomic>
#include <memory>
#include <optional>

#include "../core/errors.h"
#include "../core/measure.h"
#include "../core/sandbox.h"
#include "call_bridge.h"
#include "js_host_functions.h"
#include "js_thread.h"
#include "vcpu_thread.h"

namespace microscope {

class AddonState;

class SandboxObject : public Napi::ObjectWrap<SandboxObject> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit SandboxObject(const Napi::CallbackInfo& info);
  ~SandboxObject() override;

  // At environment teardown: stop whatever runs and free the engine.
  void shut_down();

 private:
  enum class Work { Init, Call, Invoke, Measure };
  struct Pending {
    Napi::Promise::Deferred deferred;
    Work work;
    size_t function;
  };

  // Every method runs inside this: an EngineError becomes the JS error of its kind.
  template <Napi::Value (SandboxObject::*Method)(const Napi::CallbackInfo&)>
  Napi::Value Guarded(const Napi::CallbackInfo& info) {
    try {
      return (this->*Method)(info);
    } catch (const EngineError& error) {
      throw_error(info.Env(), error);
    }
  }

  Napi::Value Functions(const Napi::CallbackInfo& info);
  Napi::Value Backend(const Napi::CallbackInfo& info);
  Napi::Value BackendReason(const Napi::CallbackInfo& info);
  Napi::Value Layout(const Napi::CallbackInfo& info);
  Napi::Value Busy(const Napi::CallbackInfo& info);
  Napi::Value Init(const Napi::CallbackInfo& info);
  Napi::Value Call(const Napi::CallbackInfo& info);
  Napi::Value Invoke(const Napi::CallbackInfo& info);
  Napi::Value Measure(const Napi::CallbackInfo& info);
  Napi::Value Cancel(const Napi::CallbackInfo& info);
  Napi::Value TakeSnapshot(const Napi::CallbackInfo& info);
  Napi::Value RestoreSnapshot(const Napi::CallbackInfo& info);
  Napi::Value DropSnapshot(const Napi::CallbackInfo& info);
  Napi::Value DirtyPages(const Napi::CallbackInfo& info);
  Napi::Value ReadMemory(const Napi::CallbackInfo& info);
  Napi::Value WriteMemory(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);

  Sandbox& idle_sandbox();  // throws when disposed, not initialised or busy
  std::vector<microscope::Value> read_arguments(size_t function, const Napi::CallbackInfo& info, size_t first);
  // Runs `job` (which ends with finish_job) on the vCPU thread and waits for it a while.
  Napi::Value start(Napi::Env env, Work work, size_t function, std::function<void()> job, bool wait);
  void finish_job();  // on the vCPU thread, at the end of every started job
  void complete(Napi::Env env);
  void settle(Napi::Env env, Pending pending);
  void release();
  [[noreturn]] void throw_error(Napi::Env env, const EngineError& error);

  AddonState* state_;
  std::shared_ptr<const ElfImage> image_;
  SandboxOptions options_;
  CallBridge bridge_;
  std::unique_ptr<JsThread> js_thread_;
  std::unique_ptr<JsHostFunctions> host_;
  std::unique_ptr<VcpuThread> vcpu_;
  std::unique_ptr<Sandbox> sandbox_;  // made, used and destroyed on the vCPU thread

  // The work under way, and what it produced (written on the vCPU thread before `phase`
  // or the thread-safe function publishes it).
  std::optional<Pending> pending_;
  CallOutcome outcome_;
  Measurement measurement_;
  std::optional<EngineError> job_error_;
  std::atomic<bool> cancel_requested_{false};
  Napi::ObjectReference self_;  // holds this object while work is under way
  bool dispose_requested_ = false;
};

}  // namespace microscope
