// trace(): one call of a guest function, traced (core/debug/call_trace.h), handed to JS
// as plain events; lib/trace.ts turns them into Chrome's trace format.
#include "addon_state.h"
#include "arguments.h"
#include "js_values.h"
#include "sandbox_object.h"

namespace microscope {

// trace(function: number, args: array): Promise<{ events, truncated, durationNs, value?,
// error?, output }>. Each event: { kind: 'function' | 'host' | 'exit', name, depth,
// startNs, durationNs, address? (function), args?, result?, error? (host) }.
Napi::Value SandboxObject::Trace(const Napi::CallbackInfo& info) {
  idle_sandbox();
  const size_t function = function_argument(info[0], image_->exports().size());
  read_argument_array(function, array_argument(info[1], "args"));
  return start(info.Env(), Work::Trace, function, false);
}

Napi::Value SandboxObject::trace_to_js(Napi::Env env) {
  CallTrace trace = std::move(trace_);
  trace_ = CallTrace{};
  const auto& symbols = image_->symbols();
  const uint64_t bias = sandbox_->layout().load_bias;
  Napi::Array events = Napi::Array::New(env, trace.events.size());
  for (size_t i = 0; i < trace.events.size(); ++i) {
    const TraceEvent& event = trace.events[i];
    Napi::Object object = Napi::Object::New(env);
    object.Set("depth", event.depth);
    object.Set("startNs", double(event.start_ns));
    object.Set("durationNs", double(event.duration_ns));
    switch (event.kind) {
      case TraceEvent::Kind::Function:
        object.Set("kind", "function");
        object.Set("name", symbols[event.index].name);
        object.Set("address", Napi::BigInt::New(env, symbols[event.index].address + bias));
        break;
      case TraceEvent::Kind::HostCall: {
        const HostCallRecord& call = trace.host_calls[event.index];
        object.Set("kind", "host");
        object.Set("name", call.name);
        Napi::Array args = Napi::Array::New(env, call.args.size());
        for (size_t a = 0; a < call.args.size(); ++a) args.Set(uint32_t(a), to_js(env, call.args[a]));
        object.Set("args", args);
        if (call.failed) object.Set("error", call.error);
        else object.Set("result", to_js(env, call.result));
        break;
      }
      case TraceEvent::Kind::Exit:
        object.Set("kind", "exit");
        object.Set("name", trace.exits[event.index]);
        break;
    }
    events.Set(uint32_t(i), object);
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("events", events);
  result.Set("truncated", trace.truncated);
  result.Set("durationNs", double(trace.duration_ns));
  result.Set("backend", sandbox_->backend_name());
  const CallOutcome& outcome = trace.outcome;
  if (outcome.kind == OutcomeKind::Returned) result.Set("value", to_js(env, outcome.value));
  else result.Set("error", state_->errors.from_outcome(env, outcome, sandbox_->backend_name()));
  result.Set("output", outcome.output);
  return result;
}

}  // namespace microscope
