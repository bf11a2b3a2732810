// The JS face of a sandbox (wrapped by native/lib/sandbox.ts). Calls start on the JS
// thread, where a short call costs no thread hop at all, and move to the sandbox's vCPU
// thread when they run longer than a slice or wait for a host function's promise, so
// the event loop never stalls for more than a slice.
#pragma once

#include <napi.h>

#include <atomic>
#include <memory>
#include <optional>

#include "../core/errors.h"
#include "../core/measure.h"
#include "../core/sandbox.h"
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

  // Every method runs inside this: an EngineError becomes the JS error of its kind.
  template <Napi::Value (SandboxObject::*Method)(const Napi::CallbackInfo&)>
  Napi::Value Guarded(const Napi::CallbackInfo& info) {
    try {
      return (this->*Method)(info);
    } catch (const EngineError& error) {
      throw_error(info.Env(), error);
    }
  }

  Sandbox& sandbox();  // throws when disposed or busy
  Napi::Value start(Napi::Env env, Work work, size_t function);
  void on_vcpu_done(Napi::Env env);
  void settle(Napi::Env env, Pending pending, CallOutcome outcome);
  void release();
  VcpuThread& vcpu();
  [[noreturn]] void throw_error(Napi::Env env, const EngineError& error);

  AddonState* state_;
  std::unique_ptr<JsThread> js_thread_;
  std::unique_ptr<JsHostFunctions> host_;
  std::unique_ptr<Sandbox> sandbox_;
  std::unique_ptr<VcpuThread> vcpu_;
  std::optional<Pending> pending_;
  Napi::ObjectReference self_;  // holds this object while work is under way
  Measurement measurement_;
  std::atomic<bool> measure_stop_{false};
  bool dispose_requested_ = false;
};

}  // namespace microscope
