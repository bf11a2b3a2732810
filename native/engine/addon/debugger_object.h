// NativeDebugger, the JS face of a sandbox's debugger (core/debug), wrapped by
// native/node/api/debug.ts: a call started paused, resumed in its ways, its stops;
// breakpoints and watchpoints; and what a paused guest shows: code, frames, source lines
// and symbols. Made over a NativeSandbox, whose CallRunner runs its work on the vCPU
// thread; the engine's Debugger lives as long as that sandbox. Its operations are in
// debugger_object.cpp, each where it is listed.
#pragma once

#include <napi.h>

#include <memory>

#include "call_runner.h"
#include "wrapped_class.h"

namespace microscope {

class DebuggerObject : public WrappedClass<DebuggerObject> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit DebuggerObject(const Napi::CallbackInfo& info);
  ~DebuggerObject() override;
  [[noreturn]] void throw_error(Napi::Env env, const EngineError& error);

  CallRunner& runner() { return *runner_; }
  // The work it runs on the vCPU thread, reused from call to call.
  struct Works;
  Works& works() { return *works_; }
  // A work of the time travel operations' (debugger_time_travel.cpp), kept until it settles.
  std::unique_ptr<CallRunner::Work>& travel_work() { return travel_work_; }

 private:
  Napi::ObjectReference sandbox_;  // the NativeSandbox: it lives as long as this
  CallRunner* runner_ = nullptr;
  std::unique_ptr<Works> works_;
  std::unique_ptr<CallRunner::Work> travel_work_;
};

}  // namespace microscope
