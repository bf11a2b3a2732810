// NativeDebugger, the JS face of a sandbox's debugger (core/debug), wrapped by
// native/node/api/debug.ts: a call started paused, resumed in its ways, its stops;
// breakpoints and watchpoints; and what a paused guest shows: code, frames, source lines
// and symbols. Made over a NativeSandbox, whose CallRunner runs its work on the vCPU
// thread; the engine's Debugger lives as long as that sandbox.
#pragma once

#include <napi.h>

#include "../core/debug/debugger.h"
#include "js_registers.h"
#include "wrapped_class.h"

namespace microscope {

class CallRunner;

class DebuggerObject : public WrappedClass<DebuggerObject> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit DebuggerObject(const Napi::CallbackInfo& info);
  ~DebuggerObject() override;
  [[noreturn]] void throw_error(Napi::Env env, const EngineError& error);

 private:
  class StepWork;

  Napi::Value Start(const Napi::CallbackInfo& info);
  Napi::Value Resume(const Napi::CallbackInfo& info);
  Napi::Value Restart(const Napi::CallbackInfo& info);
  Napi::Value Pause(const Napi::CallbackInfo& info);
  Napi::Value End(const Napi::CallbackInfo& info);
  Napi::Value Active(const Napi::CallbackInfo& info);
  Napi::Value AddBreakpoint(const Napi::CallbackInfo& info);
  Napi::Value RemoveBreakpoint(const Napi::CallbackInfo& info);
  Napi::Value EnableBreakpoint(const Napi::CallbackInfo& info);
  Napi::Value Breakpoints(const Napi::CallbackInfo& info);
  Napi::Value AddWatchpoint(const Napi::CallbackInfo& info);
  Napi::Value RemoveWatchpoint(const Napi::CallbackInfo& info);
  Napi::Value EnableWatchpoint(const Napi::CallbackInfo& info);
  Napi::Value Watchpoints(const Napi::CallbackInfo& info);
  Napi::Value Disassemble(const Napi::CallbackInfo& info);
  Napi::Value Backtrace(const Napi::CallbackInfo& info);
  Napi::Value SourceLine(const Napi::CallbackInfo& info);
  Napi::Value LineAddresses(const Napi::CallbackInfo& info);
  Napi::Value SymbolAddress(const Napi::CallbackInfo& info);
  Napi::Value Symbolize(const Napi::CallbackInfo& info);

  CallRunner& runner();  // throws when the sandbox is gone
  Napi::Value stop_to_js(Napi::Env env);

  Napi::ObjectReference sandbox_;  // the NativeSandbox: it lives as long as this
  CallRunner* runner_ = nullptr;
  std::unique_ptr<StepWork> step_;
  std::vector<Napi::Value> scratch_;
};

}  // namespace microscope
