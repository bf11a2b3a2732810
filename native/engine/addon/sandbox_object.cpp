#include "sandbox_object.h"

#include <algorithm>

#include "../core/backend_choice.h"
#include "../core/clock.h"
#include "addon_state.h"
#include "arguments.h"

namespace microscope {

namespace {

// How long a call runs on the JS thread (emulated backend) or call() waits there for the
// vCPU thread (KVM) before it returns a pending promise and lets the event loop go on.
constexpr int64_t kJsSliceNs = 1'000'000;
constexpr int64_t kJsWaitNs = 1'000'000;

EngineError disposed() { return usage_error("the sandbox has been disposed"); }

}  // namespace

Napi::Function SandboxObject::Define(Napi::Env env) {
  return DefineClass(env, "NativeSandbox",
                     {
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::Functions>>("functions"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::Layout>>("layout"),
                         InstanceAccessor<&SandboxObject::Guarded<&SandboxObject::Backend>>("backend"),
                         InstanceAccessor<&SandboxObject::Guarded<&SandboxObject::BackendReason>>("backendReason"),
                         InstanceAccessor<&SandboxObject::Guarded<&SandboxObject::Busy>>("busy"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::Init>>("init"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::Call>>("call"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::Invoke>>("invoke"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::Measure>>("measure"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::Cancel>>("cancel"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::TakeSnapshot>>("snapshot"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::RestoreSnapshot>>("restore"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::DropSnapshot>>("dropSnapshot"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::DirtyPages>>("dirtyPages"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::CompareSnapshots>>("compareSnapshots"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::ReadMemory>>("readMemory"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::ReadSnapshot>>("readSnapshot"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::WriteMemory>>("writeMemory"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::GetRegisters>>("registers"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::SetRegisters>>("setRegisters"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::Dispose>>("dispose"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::DebugStart>>("debugStart"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::DebugResume>>("debugResume"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::DebugRestart>>("debugRestart"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::DebugPause>>("debugPause"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::DebugEnd>>("debugEnd"),
                         InstanceAccessor<&SandboxObject::Guarded<&SandboxObject::DebugActive>>("debugActive"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::AddBreakpoint>>("addBreakpoint"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::RemoveBreakpoint>>("removeBreakpoint"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::EnableBreakpoint>>("enableBreakpoint"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::Breakpoints>>("breakpoints"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::AddWatchpoint>>("addWatchpoint"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::RemoveWatchpoint>>("removeWatchpoint"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::EnableWatchpoint>>("enableWatchpoint"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::Watchpoints>>("watchpoints"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::Disassemble>>("disassemble"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::Backtrace>>("backtrace"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::SourceLine>>("sourceLine"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::LineAddresses>>("lineAddresses"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::SymbolAddress>>("symbolAddress"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::Symbolize>>("symbolize"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::Trace>>("trace"),
                     });
}

// new NativeSandbox(elf: Uint8Array, options: object, hostFunctions: array). The guest is
// parsed here; init() makes the micro-VM on its vCPU thread and runs the guest's init.
SandboxObject::SandboxObject(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<SandboxObject>(info), state_(info.Env().GetInstanceData<AddonState>()) {
  Napi::Env env = info.Env();
  try {
    image_ = std::make_shared<const ElfImage>(ElfImage::parse(bytes_argument(info[0], "guest")));
    options_ = sandbox_options(info[1]);
    plan_layout(*image_, options_.layout);  // bad options and misplaced segments fail here
    choose_backend(options_.backend);
    js_thread_ = std::make_unique<JsThread>(env);
    host_ = std::make_unique<JsHostFunctions>(env, array_argument(info[2], "hostFunctions"), js_thread_.get(), &bridge_,
                                              [this](Napi::Env env) { rejoin(env); });
    vcpu_ = std::make_unique<VcpuThread>();
  } catch (const EngineError& error) {
    throw_error(env, error);
  }
  state_->sandboxes.insert(this);
}

SandboxObject::~SandboxObject() {
  state_->sandboxes.erase(this);
  release();
}

void SandboxObject::release() {
  cancel_requested_ = true;
  if (vcpu_ && sandbox_ && !(pending_ && pending_->work == Work::Init)) sandbox_->cancel();
  vcpu_.reset();  // joins once the job under way, now cancelled, has ended
  pending_.reset();
  debugger_.reset();  // it holds the sandbox
  sandbox_.reset();
  host_.reset();
  js_thread_.reset();
}

void SandboxObject::shut_down() { release(); }

void SandboxObject::throw_error(Napi::Env env, const EngineError& error) {
  throw Napi::Error(env, state_->errors.from_engine_error(env, error));
}

Sandbox& SandboxObject::idle_sandbox() {
  Sandbox& box = inspectable_sandbox();
  if (debugger_ && debugger_->active()) {
    throw EngineError(ErrorKind::Busy, "a call of " + image_->exports()[debugger_->function()].name +
                                           " is being debugged: end it first");
  }
  return box;
}

Sandbox& SandboxObject::inspectable_sandbox() {
  if (!vcpu_ || dispose_requested_) throw disposed();
  if (pending_) throw EngineError(ErrorKind::Busy, "the sandbox is running a call");
  if (!sandbox_ || !sandbox_->initialized()) throw usage_error("the sandbox is not initialised");
  return *sandbox_;
}

Napi::Value SandboxObject::Functions(const Napi::CallbackInfo& info) {
  return functions_to_js(info.Env(), image_->exports());
}

Napi::Value SandboxObject::Backend(const Napi::CallbackInfo& info) {
  const bool made = sandbox_ && !(pending_ && pending_->work == Work::Init);
  return Napi::String::New(info.Env(), made ? sandbox_->backend_name() : "none");
}

Napi::Value SandboxObject::BackendReason(const Napi::CallbackInfo& info) {
  const bool made = sandbox_ && !(pending_ && pending_->work == Work::Init);
  return Napi::String::New(info.Env(), made ? sandbox_->backend_reason() : "");
}

Napi::Value SandboxObject::Busy(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), pending_.has_value());
}

void SandboxObject::read_arguments(size_t function, const Napi::CallbackInfo& info, size_t first) {
  values_.clear();
  for (size_t i = first; i < info.Length(); ++i) values_.push_back(info[i]);
  call_arguments(image_->exports(), function, values_.data(), values_.size(), &job_.args);
  values_.clear();
}

void SandboxObject::read_argument_array(size_t function, Napi::Array list) {
  values_.clear();
  for (uint32_t i = 0; i < list.Length(); ++i) values_.push_back(list.Get(i));
  call_arguments(image_->exports(), function, values_.data(), values_.size(), &job_.args);
  values_.clear();
}

// ---- Work on the vCPU thread ----

Napi::Value SandboxObject::start(Napi::Env env, Work work, size_t function, bool wait) {
  job_.work = work;
  job_.function = function;
  job_.resume = false;
  result_ = nullptr;
  job_error_.reset();
  cancel_requested_ = false;
  completion_posted_.store(false, std::memory_order_relaxed);

  // A call the backend lets run on any thread starts right here: no thread hop at all.
  const bool here = wait && (work == Work::Call || work == Work::Invoke) && sandbox_->backend().runs_on_any_thread();
  if (here) sandbox_->begin_call(function, job_.args, job_.options);  // may throw: nothing started yet
  pending_ = Pending{Napi::Promise::Deferred::New(env), work, function};
  Napi::Promise promise = pending_->deferred.Promise();
  if (here) {
    if (sandbox_->run(false, kJsSliceNs) == Sandbox::Step::Finished) {
      result_ = &sandbox_->finish();
      complete(env);
      return promise;
    }
    job_.resume = true;  // it ran a slice, or waits for a promise: the vCPU thread goes on
    bridge_.set(CallBridge::Detached);
  } else {
    bridge_.set(wait ? CallBridge::Waiting : CallBridge::Detached);
  }
  vcpu_->post(run_job_);
  if (!here && wait && wait_for_vcpu(env)) return promise;
  // Too long to wait for here: the vCPU thread reports through the event loop.
  self_ = Napi::Persistent(Value());
  js_thread_->keep_alive(env, true);
  return promise;
}

bool SandboxObject::wait_for_vcpu(Napi::Env env) {
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

void SandboxObject::rejoin(Napi::Env env) {
  // A host call came through the event loop; the guest is likely to make more. Wait
  // here again a while, so they are served directly.
  if (!pending_ || completion_posted_.load(std::memory_order_acquire)) return;
  if (bridge_.change(CallBridge::Detached, CallBridge::Waiting)) {
    if (wait_for_vcpu(env)) {
      self_.Reset();
      js_thread_->keep_alive(env, false);
    }
  }
}

void SandboxObject::finish_job() {
  if (bridge_.change(CallBridge::Waiting, CallBridge::Done)) return;
  completion_posted_.store(true, std::memory_order_release);
  js_thread_->post([this](Napi::Env env) {
    self_.Reset();
    js_thread_->keep_alive(env, false);
    complete(env);
  });
}

void SandboxObject::complete(Napi::Env env) {
  if (!pending_) return;  // released at teardown
  Pending pending = std::move(*pending_);
  pending_.reset();
  settle(env, std::move(pending));
  if (dispose_requested_) release();
}

void SandboxObject::settle(Napi::Env env, Pending pending) {
  if (job_error_) {
    pending.deferred.Reject(state_->errors.from_engine_error(env, *job_error_));
    return;
  }
  const char* backend = sandbox_ ? sandbox_->backend_name() : "none";
  if (pending.work == Work::Trace) {
    pending.deferred.Resolve(trace_to_js(env));
    return;
  }
  if (pending.work == Work::Debug) {
    pending.deferred.Resolve(stop_to_js(env));
    return;
  }
  if (pending.work == Work::Measure) {
    Measurement measurement = std::move(measurement_);
    if (measurement.failed) {
      pending.deferred.Reject(state_->errors.from_outcome(env, measurement.failure, backend));
    } else {
      pending.deferred.Resolve(measurement_to_js(env, measurement));
    }
    return;
  }
  const CallOutcome& outcome = *result_;
  if (outcome.kind != OutcomeKind::Returned) {
    pending.deferred.Reject(state_->errors.from_outcome(env, outcome, backend));
    return;
  }
  switch (pending.work) {
    case Work::Init: pending.deferred.Resolve(env.Undefined()); break;
    case Work::Call: pending.deferred.Resolve(to_js(env, outcome.value)); break;
    case Work::Invoke:
      pending.deferred.Resolve(report_to_js(env, outcome, image_->exports()[pending.function].returns, backend));
      break;
    case Work::Measure:
    case Work::Debug:
    case Work::Trace: break;
  }
}

// init(): Promise<void>
Napi::Value SandboxObject::Init(const Napi::CallbackInfo& info) {
  if (!vcpu_ || dispose_requested_) throw disposed();
  if (pending_ || sandbox_) throw usage_error("the sandbox has already been initialised");
  return start(info.Env(), Work::Init, 0, true);
}

// call(function: number, ...args): Promise<value>. The fast path: no options, no report.
Napi::Value SandboxObject::Call(const Napi::CallbackInfo& info) {
  idle_sandbox();
  const size_t function = function_argument(info[0], image_->exports().size());
  read_arguments(function, info, 1);
  job_.options = CallOptions{};
  job_.options.restore = options_.restore;
  return start(info.Env(), Work::Call, function, true);
}

// invoke(function: number, args: array, options: { restore?, timeoutMs? }): Promise<report>
Napi::Value SandboxObject::Invoke(const Napi::CallbackInfo& info) {
  idle_sandbox();
  const size_t function = function_argument(info[0], image_->exports().size());
  read_argument_array(function, array_argument(info[1], "args"));
  job_.options = call_options(info[2], options_);
  return start(info.Env(), Work::Invoke, function, true);
}

// measure(function: number, args: array, mode: string, iterations: number): Promise<result>
Napi::Value SandboxObject::Measure(const Napi::CallbackInfo& info) {
  idle_sandbox();
  const size_t function = function_argument(info[0], image_->exports().size());
  read_argument_array(function, array_argument(info[1], "args"));
  const std::string mode = info[2].IsString() ? info[2].As<Napi::String>().Utf8Value() : "";
  if (!parse_measure_mode(mode, &job_.mode)) throw usage_error("mode must be warm, restore or cold (got '" + mode + "')");
  job_.iterations = count_argument(info[3], "iterations");
  return start(info.Env(), Work::Measure, function, false);
}

// On the vCPU thread: the work start() handed over, described by job_.
void SandboxObject::run_job() {
  try {
    if (job_.resume) {
      sandbox_->run(true, 0);
      result_ = &sandbox_->finish();
      finish_job();
      return;
    }
    switch (job_.work) {
      case Work::Init:
        sandbox_ = std::make_unique<Sandbox>(image_, options_, host_.get());
        sandbox_->begin_init();
        if (cancel_requested_) sandbox_->cancel();
        sandbox_->run();
        result_ = &sandbox_->finish();
        break;
      case Work::Call:
      case Work::Invoke:
        sandbox_->begin_call(job_.function, job_.args, job_.options);
        if (cancel_requested_) sandbox_->cancel();
        sandbox_->run();
        result_ = &sandbox_->finish();
        break;
      case Work::Measure:
        measurement_ = measure(*sandbox_, job_.function, job_.args, job_.mode, job_.iterations, cancel_requested_);
        break;
      case Work::Trace: trace_ = trace_call(*sandbox_, job_.function, job_.args); break;
      case Work::Debug: {
        Debugger& debug = debugger();
        switch (job_.debug_action) {
          case Job::DebugAction::Start: capture_stop(debug.start(job_.function, job_.args)); break;
          case Job::DebugAction::Resume: capture_stop(debug.resume(job_.how, job_.target)); break;
          case Job::DebugAction::Restart: capture_stop(debug.restart()); break;
        }
        break;
      }
    }
  } catch (const EngineError& error) {
    job_error_ = error;
  }
  finish_job();
}

Napi::Value SandboxObject::Cancel(const Napi::CallbackInfo& info) {
  if (pending_) {
    cancel_requested_ = true;
    // During init the vCPU thread is still making `sandbox_`; the flag is enough there.
    if (pending_->work != Work::Init) sandbox_->cancel();
  }
  return info.Env().Undefined();
}

Napi::Value SandboxObject::Dispose(const Napi::CallbackInfo& info) {
  if (pending_) {
    // Finish the work under way (it is cancelled), then free the engine.
    dispose_requested_ = true;
    cancel_requested_ = true;
    if (pending_->work != Work::Init) sandbox_->cancel();
  } else {
    release();
  }
  return info.Env().Undefined();
}

}  // namespace microscope
