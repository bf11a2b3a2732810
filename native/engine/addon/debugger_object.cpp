#include "debugger_object.h"

#include <type_traits>
#include <utility>

#include "../../include/microscope/abi.h"
#include "../core/debug/debugger.h"
#include "addon_state.h"
#include "arguments.h"
#include "call_runner.h"
#include "debugger_time_travel.h"
#include "debugger_variables.h"
#include "js_registers.h"
#include "js_values.h"
#include "sandbox_object.h"

namespace microscope {

namespace {

Napi::Value bigint(Napi::Env env, uint64_t value) { return Napi::BigInt::New(env, value); }

Napi::Uint8Array bytes_to_js(Napi::Env env, const std::vector<uint8_t>& bytes) {
  Napi::Uint8Array array = Napi::Uint8Array::New(env, bytes.size());
  std::copy(bytes.begin(), bytes.end(), array.Data());
  return array;
}

int id_argument(const Napi::Value& value, const char* what) { return int(count_argument(value, what)); }

Resume resume_argument(const Napi::Value& value) {
  const std::string how = value.IsString() ? value.As<Napi::String>().Utf8Value() : "";
  if (how == "continue") return Resume::Continue;
  if (how == "step") return Resume::StepInstruction;
  if (how == "over") return Resume::StepOver;
  if (how == "out") return Resume::StepOut;
  if (how == "to") return Resume::RunTo;
  if (how == "line-over") return Resume::LineOver;
  if (how == "line-into") return Resume::LineInto;
  throw usage_error("resume must be continue, step, over, out, to, line-over or line-into (got '" + how + "')");
}

Reverse reverse_argument(const Napi::Value& value) {
  const std::string how = value.IsString() ? value.As<Napi::String>().Utf8Value() : "";
  if (how == "continue") return Reverse::Continue;
  if (how == "step") return Reverse::StepInstruction;
  if (how == "over") return Reverse::StepOver;
  if (how == "out") return Reverse::StepOut;
  if (how == "line-over") return Reverse::LineOver;
  if (how == "line-into") return Reverse::LineInto;
  throw usage_error("reverse must be continue, step, over, out, line-over or line-into (got '" + how + "')");
}

uint64_t position_argument(const Napi::Value& value) {
  if (value.IsBigInt()) {
    bool lossless = true;
    const uint64_t position = value.As<Napi::BigInt>().Uint64Value(&lossless);
    if (lossless) return position;
  } else if (value.IsNumber()) {
    const double number = value.As<Napi::Number>().DoubleValue();
    if (number >= 0 && number <= 9007199254740991.0 && number == double(uint64_t(number))) return uint64_t(number);
  }
  throw usage_error("a position is a whole number of instructions from the call's start");
}

// start()'s options: { record?: boolean | { checkpointInterval?: number, sizeLimit?: number } }
std::optional<RecordingOptions> record_argument(const Napi::Value& value) {
  if (value.IsUndefined() || value.IsNull()) return std::nullopt;
  if (!value.IsObject()) throw usage_error("debug options must be an object");
  const Napi::Value record = value.As<Napi::Object>().Get("record");
  if (record.IsUndefined() || record.IsNull() || (record.IsBoolean() && !record.As<Napi::Boolean>().Value()))
    return std::nullopt;
  RecordingOptions options;
  if (record.IsBoolean()) return options;
  if (!record.IsObject()) throw usage_error("record must be true, false or { checkpointInterval, sizeLimit }");
  const Napi::Object fields = record.As<Napi::Object>();
  if (!fields.Get("checkpointInterval").IsUndefined()) {
    options.checkpoint_interval = count_argument(fields.Get("checkpointInterval"), "checkpointInterval");
    if (options.checkpoint_interval == 0) throw usage_error("checkpointInterval must be at least 1 instruction");
  }
  if (!fields.Get("sizeLimit").IsUndefined()) {
    options.size_limit = count_argument(fields.Get("sizeLimit"), "sizeLimit");
    if (options.size_limit < (1u << 20)) throw usage_error("sizeLimit must be at least 1 MiB (1048576 bytes)");
  }
  return options;
}

WatchKind watch_kind_argument(const Napi::Value& value) {
  const std::string kind = value.IsString() ? value.As<Napi::String>().Utf8Value() : "";
  if (kind == "read") return WatchKind::Read;
  if (kind == "write") return WatchKind::Write;
  if (kind == "access") return WatchKind::Access;
  throw usage_error("a watchpoint's kind must be read, write or access (got '" + kind + "')");
}

// Adds `file` and `line` to `object` where the line table knows `address`.
void add_source_line(Debugger& debugger, Napi::Object object, uint64_t address) {
  SourceLine line;
  if (debugger.code().debug_info().line_at(address, &line)) {
    object.Set("file", line.file);
    object.Set("line", line.line);
  }
}

// start(), resume() and restart(): the debugger goes on to its next stop, on the vCPU
// thread; the stop and the registers at it are taken there.
class StepWork : public CallRunner::Work {
 public:
  enum class Action { Start, Resume, Restart, Reverse, GoTo } action = Action::Start;
  size_t function = 0;
  std::vector<microscope::Value> args;
  std::optional<RecordingOptions> record;
  microscope::Resume how = microscope::Resume::Continue;
  microscope::Reverse back = microscope::Reverse::StepInstruction;
  uint64_t target = 0;

  explicit StepWork(CallRunner& runner) : runner_(runner) {}
  void run(CallRunner& runner, bool) override {
    Debugger& debug = runner.debugger();
    switch (action) {
      case Action::Start: stop_ = debug.start(function, args, true, record ? &*record : nullptr); break;
      case Action::Resume: stop_ = debug.resume(how, target); break;
      case Action::Restart: stop_ = debug.restart(); break;
      case Action::Reverse: stop_ = debug.reverse(back); break;
      case Action::GoTo: stop_ = debug.go_to(target); break;
    }
    recorded_ = debug.recording() != nullptr;
    registers_ = RegisterSet::read(runner.made()->backend());
  }
  void settle(Napi::Env env, Napi::Promise::Deferred& deferred) override { deferred.Resolve(stop_to_js(env)); }

 private:
  Napi::Value stop_to_js(Napi::Env env);

  CallRunner& runner_;
  Stop stop_;
  bool recorded_ = false;
  RegisterSet registers_;
};

Napi::Value StepWork::stop_to_js(Napi::Env env) {
  const Stop& stop = stop_;
  Sandbox& box = *runner_.made();
  Debugger& debug = runner_.debugger();
  Napi::Object object = Napi::Object::New(env);
  object.Set("reason", stop_reason_name(stop.reason));
  object.Set("rip", bigint(env, stop.rip));
  object.Set("symbol", box.symbolize(stop.rip));
  add_source_line(debug, object, stop.rip);
  if (stop.reason == StopReason::Breakpoint) object.Set("breakpoint", stop.breakpoint);
  if (recorded_) object.Set("position", Napi::Number::New(env, double(stop.position)));
  if (!stop.logs.empty()) {
    Napi::Array logs = Napi::Array::New(env, stop.logs.size());
    for (size_t i = 0; i < stop.logs.size(); ++i) {
      Napi::Object log = Napi::Object::New(env);
      log.Set("breakpoint", stop.logs[i].breakpoint);
      log.Set("text", stop.logs[i].text);
      logs.Set(uint32_t(i), log);
    }
    object.Set("logs", logs);
  }
  if (stop.reason == StopReason::Watchpoint) {
    const WatchReport& watch = stop.watch;
    Napi::Object w = Napi::Object::New(env);
    w.Set("watchpoint", watch.watchpoint);
    w.Set("address", bigint(env, watch.address));
    w.Set("size", watch.size);
    w.Set("access", watch.write ? "write" : "read");
    if (watch.instruction_known) {
      w.Set("instruction", bigint(env, watch.instruction));
      w.Set("instructionSymbol", box.symbolize(watch.instruction));
    }
    w.Set("oldValue", bytes_to_js(env, watch.old_value));
    w.Set("newValue", bytes_to_js(env, watch.new_value));
    object.Set("watch", w);
  }
  if (stop.outcome) {
    const CallOutcome& outcome = *stop.outcome;
    if (outcome.kind == OutcomeKind::Returned) {
      object.Set("value", to_js(env, outcome.value));
    } else {
      CallOutcome described = outcome;  // a fault stop's message is made when the call ends
      if (described.kind == OutcomeKind::Faulted && described.message.empty()) {
        described.fault_symbol = described.fault.rip_known ? box.symbolize(described.fault.rip) : "";
        described.message = describe_fault(described.fault, described.fault_symbol);
      }
      object.Set("error", runner_.state().errors.from_outcome(env, described, box.backend_name()));
    }
    object.Set("output", outcome.output);
  }
  object.Set("registers", registers_to_js(env, registers_));
  return object;
}

}  // namespace

// One of each kind of work, reused, and a call's JS arguments while they are read.
struct DebuggerObject::Works {
  explicit Works(CallRunner& runner) : step(runner) {}
  StepWork step;
  std::vector<Napi::Value> scratch;
};

// new NativeDebugger(sandbox: NativeSandbox)
DebuggerObject::DebuggerObject(const Napi::CallbackInfo& info) : WrappedClass<DebuggerObject>(info) {
  Napi::Env env = info.Env();
  Napi::Function sandbox_class = env.GetInstanceData<AddonState>()->sandbox_class.Value();
  if (!info[0].IsObject() || !info[0].As<Napi::Object>().InstanceOf(sandbox_class)) {
    throw Napi::TypeError::New(env, "a NativeDebugger is made over a NativeSandbox");
  }
  sandbox_ = Napi::Persistent(info[0].As<Napi::Object>());
  runner_ = &SandboxObject::Unwrap(sandbox_.Value())->runner();
  works_ = std::make_unique<Works>(*runner_);
}

DebuggerObject::~DebuggerObject() = default;

void DebuggerObject::throw_error(Napi::Env env, const EngineError& error) {
  throw Napi::Error(env, env.GetInstanceData<AddonState>()->errors.from_engine_error(env, error));
}

namespace {
namespace op {

// start(function: number, args: array): Promise<stop>, paused at the function's entry
Napi::Value start(DebuggerObject& self, const Napi::CallbackInfo& info) {
  CallRunner& run = self.runner();
  run.idle();
  StepWork& work = self.works().step;
  work.action = StepWork::Action::Start;
  work.function = function_argument(info[0], run.image().exports().size());
  arguments_from(run.image(), work.function, array_argument(info[1], "args"), &self.works().scratch, &work.args);
  work.record = record_argument(info[2]);
  return run.start(info.Env(), self.Value(), work, true);
}

// The step work of the call being debugged, to go on with `action`; a usage error when
// no call is.
StepWork& going_on(DebuggerObject& self, StepWork::Action action) {
  self.runner().inspectable();
  Debugger* debug = self.runner().existing_debugger();
  if (!debug || !debug->active()) throw usage_error("no call is being debugged");
  self.works().step.action = action;
  return self.works().step;
}

// resume(how: 'continue' | 'step' | 'over' | 'out' | 'to', target?: bigint): Promise<stop>
Napi::Value resume(DebuggerObject& self, const Napi::CallbackInfo& info) {
  StepWork& work = going_on(self, StepWork::Action::Resume);
  work.how = resume_argument(info[0]);
  work.target = work.how == microscope::Resume::RunTo ? address_argument(info[1]) : 0;
  return self.runner().start(info.Env(), self.Value(), work, true);
}

// The step work of a recorded call, to go back in with `action`: while it runs and after
// it ended.
StepWork& travelling(DebuggerObject& self, StepWork::Action action) {
  self.runner().inspectable();
  Debugger* debug = self.runner().existing_debugger();
  if (!debug || (!debug->active() && !debug->recording())) throw usage_error("no call is being debugged");
  if (!debug->recording()) throw usage_error("this call is not recorded: debug it with { record: true } to go back");
  self.works().step.action = action;
  return self.works().step;
}

// reverse(how: 'continue' | 'step' | 'over' | 'out' | 'line-over' | 'line-into'): Promise<stop>
Napi::Value reverse(DebuggerObject& self, const Napi::CallbackInfo& info) {
  StepWork& work = travelling(self, StepWork::Action::Reverse);
  work.back = reverse_argument(info[0]);
  return self.runner().start(info.Env(), self.Value(), work, true);
}

// goTo(position: number): Promise<stop>, anywhere in the recording
Napi::Value go_to(DebuggerObject& self, const Napi::CallbackInfo& info) {
  StepWork& work = travelling(self, StepWork::Action::GoTo);
  work.target = position_argument(info[0]);
  return self.runner().start(info.Env(), self.Value(), work, true);
}

// restart(): Promise<stop>, the same call paused at its entry again
Napi::Value restart(DebuggerObject& self, const Napi::CallbackInfo& info) {
  return self.runner().start(info.Env(), self.Value(), going_on(self, StepWork::Action::Restart), true);
}

// pause(): the resume under way stops with reason 'pause'.
Napi::Value pause(DebuggerObject& self, const Napi::CallbackInfo& info) {
  if (Debugger* debug = self.runner().existing_debugger()) debug->pause();
  return info.Env().Undefined();
}

// end(): ends the debugged call, if any; the sandbox is back at its last snapshot.
Napi::Value end(DebuggerObject& self, const Napi::CallbackInfo& info) {
  CallRunner& run = self.runner();
  run.inspectable();
  if (Debugger* debug = run.existing_debugger()) run.run_now([&] { debug->end(); });
  return info.Env().Undefined();
}

Napi::Value active(DebuggerObject& self, const Napi::CallbackInfo& info) {
  Debugger* debug = self.runner().existing_debugger();
  return Napi::Boolean::New(info.Env(), debug && debug->active());
}

// addBreakpoint(addresses: bigint[], options: { condition?, hitCondition?, logMessage? }):
// number (its id)
Napi::Value add_breakpoint(DebuggerObject& self, const Napi::CallbackInfo& info) {
  self.runner().inspectable();
  std::vector<uint64_t> addresses;
  if (info[0].IsArray()) {
    Napi::Array array = info[0].As<Napi::Array>();
    if (array.Length() > 100000) throw usage_error("a breakpoint has at most 100000 addresses");
    for (uint32_t i = 0; i < array.Length(); ++i) addresses.push_back(address_argument(array.Get(i)));
  } else {
    addresses.push_back(address_argument(info[0]));
  }
  BreakpointOptions options;
  if (info[1].IsObject()) {
    Napi::Object object = info[1].As<Napi::Object>();
    auto text = [&](const char* name) {
      Napi::Value value = object.Get(name);
      if (value.IsUndefined() || value.IsNull()) return std::string();
      if (!value.IsString()) throw usage_error(std::string("a breakpoint's ") + name + " must be a string");
      return value.As<Napi::String>().Utf8Value();
    };
    options.condition = text("condition");
    options.hit_condition = text("hitCondition");
    options.log_message = text("logMessage");
  } else if (info[1].IsString()) {
    options.condition = info[1].As<Napi::String>().Utf8Value();
  }
  int id = 0;
  self.runner().run_now([&] { id = self.runner().debugger().add_breakpoint(addresses, options); });
  return Napi::Number::New(info.Env(), id);
}

// addWatchpoint(address: bigint, length: number, kind: 'read' | 'write' | 'access'): number
Napi::Value add_watchpoint(DebuggerObject& self, const Napi::CallbackInfo& info) {
  self.runner().inspectable();
  const uint64_t address = address_argument(info[0]);
  const uint64_t length = count_argument(info[1], "length");
  if (length > (1u << 30)) throw usage_error("a watchpoint is at most 1 GiB");
  const WatchKind kind = watch_kind_argument(info[2]);
  int id = 0;
  self.runner().run_now([&] { id = self.runner().debugger().add_watchpoint(address, uint32_t(length), kind); });
  return Napi::Number::New(info.Env(), id);
}

// Breakpoints and watchpoints are removed, enabled and listed alike: Points says which,
// and what else a listed one carries.
struct BreakpointPoints {
  static constexpr const char* what = "breakpoint";
  static Breakpoints& of(Debugger& debug) { return debug.breakpoints(); }
  static void describe(Napi::Env env, Napi::Object object, const Breakpoint& b) {
    object.Set("address", bigint(env, b.addresses.front()));
    Napi::Array addresses = Napi::Array::New(env, b.addresses.size());
    for (size_t i = 0; i < b.addresses.size(); ++i) addresses.Set(uint32_t(i), bigint(env, b.addresses[i]));
    object.Set("addresses", addresses);
    object.Set("condition", b.condition.text());
    object.Set("hitCondition", b.hit_condition.text());
    object.Set("logMessage", b.log_message.text());
  }
};

struct WatchpointPoints {
  static constexpr const char* what = "watchpoint";
  static Watchpoints& of(Debugger& debug) { return debug.watchpoints(); }
  static void describe(Napi::Env env, Napi::Object object, const Watchpoint& w) {
    object.Set("address", bigint(env, w.address));
    object.Set("length", w.length);
    object.Set("kind", watch_kind_name(w.kind));
  }
};

// removeBreakpoint(id), removeWatchpoint(id)
template <typename Points>
Napi::Value remove_point(DebuggerObject& self, const Napi::CallbackInfo& info) {
  self.runner().inspectable();
  const int id = id_argument(info[0], Points::what);
  self.runner().run_now([&] { Points::of(self.runner().debugger()).remove(id); });
  return info.Env().Undefined();
}

// enableBreakpoint(id, enabled), enableWatchpoint(id, enabled)
template <typename Points>
Napi::Value enable_point(DebuggerObject& self, const Napi::CallbackInfo& info) {
  self.runner().inspectable();
  const int id = id_argument(info[0], Points::what);
  const bool enabled = info[1].ToBoolean();
  self.runner().run_now([&] { Points::of(self.runner().debugger()).enable(id, enabled); });
  return info.Env().Undefined();
}

// breakpoints(): [{ id, address, addresses, enabled, hits, condition, hitCondition, logMessage }]
// watchpoints(): [{ id, address, enabled, hits, length, kind }]
template <typename Points>
Napi::Value list_points(DebuggerObject& self, const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  self.runner().inspectable();
  std::decay_t<decltype(Points::of(std::declval<Debugger&>()).list())> points;
  self.runner().run_now([&] { points = Points::of(self.runner().debugger()).list(); });
  Napi::Array array = Napi::Array::New(env, points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    Napi::Object object = Napi::Object::New(env);
    object.Set("id", points[i].id);
    object.Set("enabled", points[i].enabled);
    object.Set("hits", double(points[i].hits));
    Points::describe(env, object, points[i]);
    array.Set(uint32_t(i), object);
  }
  return array;
}

// disassemble(address: bigint, count: number): [{ address, size, bytes, mnemonic, operands,
// symbol, file?, line?, target?, targetSymbol? }], Intel syntax. Bytes that are no
// instruction show as one byte of '(bad)'.
Napi::Value disassemble(DebuggerObject& self, const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Sandbox& box = self.runner().inspectable();
  uint64_t address = address_argument(info[0]);
  const uint64_t count = count_argument(info[1], "count");
  if (count > 10000) throw usage_error("disassemble at most 10000 instructions at once");
  if (!box.memory().contains(address, 1)) throw EngineError(ErrorKind::Memory, box.memory().describe_range(address, 1));
  Debugger& debug = self.runner().debugger();
  Napi::Array array = Napi::Array::New(env);
  for (uint32_t i = 0; i < count && box.memory().contains(address, 1); ++i) {
    Instruction instruction = debug.code().at(address);
    Napi::Object object = Napi::Object::New(env);
    object.Set("address", bigint(env, address));
    if (!instruction.size) {
      instruction.size = 1;
      instruction.mnemonic = "(bad)";
      instruction.bytes = {box.memory().host()[address]};
    }
    object.Set("size", instruction.size);
    object.Set("bytes", bytes_to_js(env, instruction.bytes));
    object.Set("mnemonic", instruction.mnemonic);
    object.Set("operands", instruction.operands);
    object.Set("symbol", box.symbolize(address));
    add_source_line(debug, object, address);
    if (instruction.has_target) {
      object.Set("target", bigint(env, instruction.target));
      object.Set("targetSymbol", box.symbolize(instruction.target));
    }
    array.Set(i, object);
    address += instruction.size;
  }
  return array;
}

// sourceLine(address: bigint): { file, line } | null
Napi::Value source_line(DebuggerObject& self, const Napi::CallbackInfo& info) {
  self.runner().inspectable();
  const uint64_t address = address_argument(info[0]);
  microscope::SourceLine line;
  if (!self.runner().debugger().code().debug_info().line_at(address, &line)) return info.Env().Null();
  Napi::Object object = Napi::Object::New(info.Env());
  object.Set("file", line.file);
  object.Set("line", line.line);
  return object;
}

// resolveLine(file: string, line: number): { file, requested, line, addresses: bigint[] },
// the line or the next one with code; a usage error when there is none
Napi::Value resolve_line(DebuggerObject& self, const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throw usage_error("file must be a string");
  const uint64_t line = count_argument(info[1], "line");
  if (line < 1 || line > INT32_MAX) throw usage_error("a line number is from 1");
  self.runner().inspectable();
  const microscope::ResolvedLine resolved =
      self.runner().debugger().code().resolve_line(info[0].As<Napi::String>().Utf8Value(), int(line));
  Napi::Object object = Napi::Object::New(env);
  object.Set("file", resolved.file);
  object.Set("requested", resolved.requested);
  object.Set("line", resolved.line);
  Napi::Array addresses = Napi::Array::New(env, resolved.addresses.size());
  for (size_t i = 0; i < resolved.addresses.size(); ++i) addresses.Set(uint32_t(i), bigint(env, resolved.addresses[i]));
  object.Set("addresses", addresses);
  return object;
}

// sourceFiles(): { file, lines: number[] }[], every file of the line tables with the lines
// where a statement starts
Napi::Value source_files(DebuggerObject& self, const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  self.runner().inspectable();
  const microscope::LineTable& table = self.runner().debugger().code().debug_info().lines();
  Napi::Array files = Napi::Array::New(env, table.files().size());
  for (uint32_t i = 0; i < table.files().size(); ++i) {
    const std::vector<int>& lines = table.lines_with_code(i);
    Napi::Array numbers = Napi::Array::New(env, lines.size());
    for (size_t j = 0; j < lines.size(); ++j) numbers.Set(uint32_t(j), lines[j]);
    Napi::Object file = Napi::Object::New(env);
    file.Set("file", table.files()[i]);
    file.Set("lines", numbers);
    files.Set(i, file);
  }
  return files;
}

// symbolAddress(name: string): bigint | undefined
Napi::Value symbol_address(DebuggerObject& self, const Napi::CallbackInfo& info) {
  Sandbox& box = self.runner().inspectable();
  if (!info[0].IsString()) throw usage_error("a symbol's name must be a string");
  uint64_t address = 0;
  if (!box.find_symbol(info[0].As<Napi::String>().Utf8Value(), &address)) return info.Env().Undefined();
  return bigint(info.Env(), address);
}

// symbolize(address: bigint): "fib+0x1c"
Napi::Value symbolize(DebuggerObject& self, const Napi::CallbackInfo& info) {
  Sandbox& box = self.runner().inspectable();
  return Napi::String::New(info.Env(), box.symbolize(address_argument(info[0])));
}

}  // namespace op
}  // namespace

Napi::Function DebuggerObject::Define(Napi::Env env) {
  return Surface()
      .method<&op::start>("start", 3)
      .method<&op::resume>("resume", 2)
      .method<&op::restart>("restart", 0)
      .method<&op::reverse>("reverse", 1)
      .method<&op::go_to>("goTo", 1)
      .method<&time_travel_op::last_write>("lastWrite", 2)
      .method<&time_travel_op::last_register_write>("lastRegisterWrite", 1)
      .method<&time_travel_op::recording>("recording", 0)
      .method<&op::pause>("pause", 0)
      .method<&op::end>("end", 0)
      .accessor<&op::active>("active")
      .method<&op::add_breakpoint>("addBreakpoint", 2)
      .method<&op::remove_point<op::BreakpointPoints>>("removeBreakpoint", 1)
      .method<&op::enable_point<op::BreakpointPoints>>("enableBreakpoint", 2)
      .method<&op::list_points<op::BreakpointPoints>>("breakpoints", 0)
      .method<&op::add_watchpoint>("addWatchpoint", 3)
      .method<&op::remove_point<op::WatchpointPoints>>("removeWatchpoint", 1)
      .method<&op::enable_point<op::WatchpointPoints>>("enableWatchpoint", 2)
      .method<&op::list_points<op::WatchpointPoints>>("watchpoints", 0)
      .method<&op::disassemble>("disassemble", 2)
      .method<&variables_op::backtrace>("backtrace", 0)
      .method<&variables_op::scopes>("scopes", 1)
      .method<&variables_op::evaluate>("evaluate", 2)
      .method<&variables_op::children>("children", 4)
      .method<&variables_op::set_variable>("setVariable", 3)
      .method<&op::source_line>("sourceLine", 1)
      .method<&op::resolve_line>("resolveLine", 2)
      .method<&op::source_files>("sourceFiles", 0)
      .method<&op::symbol_address>("symbolAddress", 1)
      .method<&op::symbolize>("symbolize", 1)
      .define(env, "NativeDebugger");
}

}  // namespace microscope
