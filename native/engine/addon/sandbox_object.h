// NativeSandbox, the JS face of a sandbox (wrapped by native/node/api/sandbox.ts): made,
// called, measured and traced; its snapshots, memory and registers. The work runs on
// the sandbox's vCPU thread through its CallRunner (call_runner.h); the debugger is a
// wrapped object of its own over the same runner (debugger_object.h). Its operations are
// in sandbox_object.cpp, each where it is listed.
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
  // The work it runs on the vCPU thread, reused from call to call.
  struct Works;
  Works& works() { return *works_; }
  // At environment teardown: stop whatever runs and free the engine.
  void shut_down();
  [[noreturn]] void throw_error(Napi::Env env, const EngineError& error);

 private:
  AddonState* state_;
  std::unique_ptr<CallRunner> runner_;
  std::unique_ptr<Works> works_;
};

// Reads the elements of `list` as the arguments of `function` (the debugger's start too).
void arguments_from(const ElfImage& image, size_t function, Napi::Array list, std::vector<Napi::Value>* values,
                    std::vector<microscope::Value>* args);

}  // namespace microscope
