// NativeSandbox, the JS face of a sandbox (wrapped by native/node/api/sandbox.ts): made,
// called, measured and traced; its snapshots, memory and registers. The work runs on
// the sandbox's vCPU thread through its CallRunner (call_runner.h); the debugger is a
// wrapped object of its own over the same runner (debugger_object.h).
#pragma once

#include <napi.h>

#include <memory>

#include "call_runner.h"
#include "wrapped_class.h"

namespace microscope {

class SandboxObject : public WrappedClass<SandboxObject> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit SandboxObject(const Napi::CallbackInfo& info);
  ~SandboxObject() override;

  CallRunner& runner() { return *runner_; }
  // At environment teardown: stop whatever runs and free the engine.
  void shut_down();
  [[noreturn]] void throw_error(Napi::Env env, const EngineError& error);

 private:
  class CallWork;
  class MeasureWork;
  class TraceWork;

  Napi::Value Functions(const Napi::CallbackInfo& info);
  Napi::Value Backend(const Napi::CallbackInfo& info);
  Napi::Value BackendReason(const Napi::CallbackInfo& info);
  Napi::Value Layout(const Napi::CallbackInfo& info);
  Napi::Value Busy(const Napi::CallbackInfo& info);
  Napi::Value Init(const Napi::CallbackInfo& info);
  Napi::Value Call(const Napi::CallbackInfo& info);
  Napi::Value Invoke(const Napi::CallbackInfo& info);
  Napi::Value Measure(const Napi::CallbackInfo& info);
  Napi::Value Trace(const Napi::CallbackInfo& info);
  Napi::Value Cancel(const Napi::CallbackInfo& info);
  Napi::Value TakeSnapshot(const Napi::CallbackInfo& info);
  Napi::Value RestoreSnapshot(const Napi::CallbackInfo& info);
  Napi::Value DropSnapshot(const Napi::CallbackInfo& info);
  Napi::Value DirtyPages(const Napi::CallbackInfo& info);
  Napi::Value CompareSnapshots(const Napi::CallbackInfo& info);
  Napi::Value ReadMemory(const Napi::CallbackInfo& info);
  Napi::Value ReadSnapshot(const Napi::CallbackInfo& info);
  Napi::Value WriteMemory(const Napi::CallbackInfo& info);
  Napi::Value GetRegisters(const Napi::CallbackInfo& info);
  Napi::Value SetRegisters(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);

  AddonState* state_;
  std::unique_ptr<CallRunner> runner_;
  // One of each kind of work, reused: a call allocates nothing here.
  std::unique_ptr<CallWork> call_;
  std::unique_ptr<MeasureWork> measure_;
  std::unique_ptr<TraceWork> trace_;
  std::vector<Napi::Value> scratch_;  // a call's JS arguments while they are read
};

// Reads the elements of `list` as the arguments of `function` (the debugger's start too).
void arguments_from(const ElfImage& image, size_t function, Napi::Array list, std::vector<Napi::Value>* values,
                    std::vector<microscope::Value>* args);

}  // namespace microscope
