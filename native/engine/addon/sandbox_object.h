// The JS face of a sandbox (wrapped by native/node/api/sandbox.ts). The guest runs on the
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
#include "../core/debug/call_trace.h"
#include "../core/debug/debugger.h"
#include "../core/sandbox.h"
#include "call_bridge.h"
#include "js_host_functions.h"
#include "js_registers.h"
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
  enum class Work { Init, Call, Invoke, Measure, Debug, Trace };
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
  Napi::Value CompareSnapshots(const Napi::CallbackInfo& info);
  Napi::Value ReadMemory(const Napi::CallbackInfo& info);
  Napi::Value ReadSnapshot(const Napi::CallbackInfo& info);
  Napi::Value WriteMemory(const Napi::CallbackInfo& info);
  Napi::Value GetRegisters(const Napi::CallbackInfo& info);
  Napi::Value SetRegisters(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);

  // The debugger (sandbox_debug.cpp).
  Napi::Value DebugStart(const Napi::CallbackInfo& info);
  Napi::Value DebugResume(const Napi::CallbackInfo& info);
  Napi::Value DebugRestart(const Napi::CallbackInfo& info);
  Napi::Value DebugPause(const Napi::CallbackInfo& info);
  Napi::Value DebugEnd(const Napi::CallbackInfo& info);
  Napi::Value DebugActive(const Napi::CallbackInfo& info);
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
  Napi::Value Trace(const Napi::CallbackInfo& info);
  Napi::Value trace_to_js(Napi::Env env);

  Sandbox& idle_sandbox();  // throws when disposed, not initialised, busy or debugging a call
  Sandbox& inspectable_sandbox();  // the same, but a debugged call may be paused
  Debugger& debugger();  // made on first use
  // On the vCPU thread, after a debugger job: the stop and the registers at it.
  void capture_stop(const Stop& stop);
  Napi::Value stop_to_js(Napi::Env env);
  // Into job_.args, converted by the function's signature.
  void read_arguments(size_t function, const Napi::CallbackInfo& info, size_t first);
  void read_argument_array(size_t function, Napi::Array list);
  // Hands job_ to the vCPU thread and, when `wait`, waits for it a while.
  Napi::Value start(Napi::Env env, Work work, size_t function, bool wait);
  void run_job();
  // Waits (at most kJsWaitNs) for the work, serving host calls; true when it completed.
  bool wait_for_vcpu(Napi::Env env);
  void rejoin(Napi::Env env);
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

  // The work under way: what to do (written on the JS thread before it is posted) and
  // what it produced (written on the vCPU thread before `phase` or the thread-safe
  // function publishes it). Kept between calls so a call allocates nothing here.
  struct Job {
    Work work = Work::Call;
    size_t function = 0;
    std::vector<microscope::Value> args;
    CallOptions options;
    MeasureMode mode = MeasureMode::Restore;
    uint64_t iterations = 0;
    bool resume = false;  // go on with the call the JS thread began
    // Work::Debug
    enum class DebugAction { Start, Resume, Restart } debug_action = DebugAction::Start;
    Resume how = Resume::Continue;
    uint64_t target = 0;
  };
  std::optional<Pending> pending_;
  Job job_;
  std::function<void()> run_job_ = [this] { run_job(); };
  std::vector<Napi::Value> values_;
  const CallOutcome* result_ = nullptr;  // the sandbox's, valid until its next call
  Measurement measurement_;
  std::unique_ptr<Debugger> debugger_;
  CallTrace trace_;  // Work::Trace's, until it is handed to JS
  Stop stop_;               // the last debugger stop, captured on the vCPU thread
  RegisterSet stop_registers_;
  std::optional<EngineError> job_error_;
  std::atomic<bool> cancel_requested_{false};
  std::atomic<bool> completion_posted_{false};
  Napi::ObjectReference self_;  // holds this object while work is under way
  bool dispose_requested_ = false;
};

}  // namespace microscope
