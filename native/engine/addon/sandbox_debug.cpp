// The debugger's JS face (core/debug): a call started paused, resumed in its ways, its
// stops; breakpoints and watchpoints; and what a paused guest shows: code, frames,
// source lines and symbols. Debugger work runs on the sandbox's vCPU thread.
#include <functional>

#include "../../include/microscope/abi.h"
#include "../core/debug/frames.h"
#include "addon_state.h"
#include "arguments.h"
#include "js_values.h"
#include "sandbox_object.h"

namespace microscope {

namespace {

// Runs `job` on the vCPU thread and throws here what it threw there.
void on_vcpu(VcpuThread& thread, const std::function<void()>& job) {
  std::optional<EngineError> error;
  thread.run_and_wait([&] {
    try {
      job();
    } catch (const EngineError& e) {
      error = e;
    }
  });
  if (error) throw *error;
}

Napi::Value bigint(Napi::Env env, uint64_t value) { return Napi::BigInt::New(env, value); }

Napi::Uint8Array bytes_to_js(Napi::Env env, const std::vector<uint8_t>& bytes) {
  Napi::Uint8Array array = Napi::Uint8Array::New(env, bytes.size());
  std::copy(bytes.begin(), bytes.end(), array.Data());
  return array;
}

int id_argument(const Napi::Value& value, const char* what) {
  return int(count_argument(value, what));
}

Resume resume_argument(const Napi::Value& value) {
  const std::string how = value.IsString() ? value.As<Napi::String>().Utf8Value() : "";
  if (how == "continue") return Resume::Continue;
  if (how == "step") return Resume::StepInstruction;
  if (how == "over") return Resume::StepOver;
  if (how == "out") return Resume::StepOut;
  if (how == "to") return Resume::RunTo;
  throw usage_error("resume must be continue, step, over, out or to (got '" + how + "')");
}

WatchKind watch_kind_argument(const Napi::Value& value) {
  const std::string kind = value.IsString() ? value.As<Napi::String>().Utf8Value() : "";
  if (kind == "read") return WatchKind::Read;
  if (kind == "write") return WatchKind::Write;
  if (kind == "access") return WatchKind::Access;
  throw usage_error("a watchpoint's kind must be read, write or access (got '" + kind + "')");
}

}  // namespace

Debugger& SandboxObject::debugger() {
  if (!debugger_) debugger_ = std::make_unique<Debugger>(*sandbox_);
  return *debugger_;
}

void SandboxObject::capture_stop(const Stop& stop) {
  stop_ = stop;
  stop_registers_ = RegisterSet::read(sandbox_->backend());
}

// Adds `file` and `line` to `object` where the line table knows `address`.
static void add_source_line(Debugger& debugger, Napi::Object object, uint64_t address) {
  SourceLine line;
  if (debugger.debug_info().line_at(address, &line)) {
    object.Set("file", line.file);
    object.Set("line", line.line);
  }
}

Napi::Value SandboxObject::stop_to_js(Napi::Env env) {
  const Stop& stop = stop_;
  Napi::Object object = Napi::Object::New(env);
  object.Set("reason", stop_reason_name(stop.reason));
  object.Set("rip", bigint(env, stop.rip));
  object.Set("symbol", sandbox_->symbolize(stop.rip));
  add_source_line(debugger(), object, stop.rip);
  if (stop.reason == StopReason::Breakpoint) object.Set("breakpoint", stop.breakpoint);
  if (stop.reason == StopReason::Watchpoint) {
    const WatchReport& watch = stop.watch;
    Napi::Object w = Napi::Object::New(env);
    w.Set("watchpoint", watch.watchpoint);
    w.Set("address", bigint(env, watch.address));
    w.Set("size", watch.size);
    w.Set("access", watch.write ? "write" : "read");
    if (watch.instruction_known) {
      w.Set("instruction", bigint(env, watch.instruction));
      w.Set("instructionSymbol", sandbox_->symbolize(watch.instruction));
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
        described.fault_symbol = described.fault.rip_known ? sandbox_->symbolize(described.fault.rip) : "";
        described.message = describe_fault(described.fault, described.fault_symbol);
      }
      object.Set("error", state_->errors.from_outcome(env, described, sandbox_->backend_name()));
    }
    object.Set("output", outcome.output);
  }
  object.Set("registers", registers_to_js(env, stop_registers_));
  return object;
}

// debugStart(function: number, args: array): Promise<stop>
Napi::Value SandboxObject::DebugStart(const Napi::CallbackInfo& info) {
  idle_sandbox();
  const size_t function = function_argument(info[0], image_->exports().size());
  read_argument_array(function, array_argument(info[1], "args"));
  job_.debug_action = Job::DebugAction::Start;
  return start(info.Env(), Work::Debug, function, true);
}

// debugResume(how: 'continue' | 'step' | 'over' | 'out' | 'to', target?: bigint): Promise<stop>
Napi::Value SandboxObject::DebugResume(const Napi::CallbackInfo& info) {
  inspectable_sandbox();
  if (!debugger_ || !debugger_->active()) throw usage_error("no call is being debugged");
  job_.debug_action = Job::DebugAction::Resume;
  job_.how = resume_argument(info[0]);
  job_.target = job_.how == Resume::RunTo ? address_argument(info[1]) : 0;
  return start(info.Env(), Work::Debug, debugger_->function(), true);
}

// debugRestart(): Promise<stop>
Napi::Value SandboxObject::DebugRestart(const Napi::CallbackInfo& info) {
  inspectable_sandbox();
  if (!debugger_ || !debugger_->active()) throw usage_error("no call is being debugged");
  job_.debug_action = Job::DebugAction::Restart;
  return start(info.Env(), Work::Debug, debugger_->function(), true);
}

// debugPause(): the resume under way stops with reason 'pause'.
Napi::Value SandboxObject::DebugPause(const Napi::CallbackInfo& info) {
  if (debugger_) debugger_->pause();
  return info.Env().Undefined();
}

// debugEnd(): ends the debugged call, if any; the sandbox is back at its last snapshot.
Napi::Value SandboxObject::DebugEnd(const Napi::CallbackInfo& info) {
  inspectable_sandbox();
  if (debugger_) on_vcpu(*vcpu_, [&] { debugger_->end(); });
  return info.Env().Undefined();
}

Napi::Value SandboxObject::DebugActive(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), debugger_ && debugger_->active());
}

// addBreakpoint(address: bigint, condition: string): number (its id)
Napi::Value SandboxObject::AddBreakpoint(const Napi::CallbackInfo& info) {
  inspectable_sandbox();
  const uint64_t address = address_argument(info[0]);
  const std::string condition = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  int id = 0;
  on_vcpu(*vcpu_, [&] { id = debugger().add_breakpoint(address, condition); });
  return Napi::Number::New(info.Env(), id);
}

Napi::Value SandboxObject::RemoveBreakpoint(const Napi::CallbackInfo& info) {
  inspectable_sandbox();
  const int id = id_argument(info[0], "breakpoint");
  on_vcpu(*vcpu_, [&] { debugger().remove_breakpoint(id); });
  return info.Env().Undefined();
}

Napi::Value SandboxObject::EnableBreakpoint(const Napi::CallbackInfo& info) {
  inspectable_sandbox();
  const int id = id_argument(info[0], "breakpoint");
  const bool enabled = info[1].ToBoolean();
  on_vcpu(*vcpu_, [&] { debugger().enable_breakpoint(id, enabled); });
  return info.Env().Undefined();
}

// breakpoints(): [{ id, address, condition, enabled, hits }]
Napi::Value SandboxObject::Breakpoints(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  inspectable_sandbox();
  std::vector<Breakpoint> breakpoints;
  on_vcpu(*vcpu_, [&] { breakpoints = debugger().breakpoints(); });
  Napi::Array array = Napi::Array::New(env, breakpoints.size());
  for (size_t i = 0; i < breakpoints.size(); ++i) {
    const Breakpoint& b = breakpoints[i];
    Napi::Object object = Napi::Object::New(env);
    object.Set("id", b.id);
    object.Set("address", bigint(env, b.address));
    object.Set("condition", b.condition.text());
    object.Set("enabled", b.enabled);
    object.Set("hits", double(b.hits));
    array.Set(uint32_t(i), object);
  }
  return array;
}

// addWatchpoint(address: bigint, length: number, kind: 'read' | 'write' | 'access'): number
Napi::Value SandboxObject::AddWatchpoint(const Napi::CallbackInfo& info) {
  inspectable_sandbox();
  const uint64_t address = address_argument(info[0]);
  const uint64_t length = count_argument(info[1], "length");
  if (length > (1u << 30)) throw usage_error("a watchpoint is at most 1 GiB");
  const WatchKind kind = watch_kind_argument(info[2]);
  int id = 0;
  on_vcpu(*vcpu_, [&] { id = debugger().add_watchpoint(address, uint32_t(length), kind); });
  return Napi::Number::New(info.Env(), id);
}

Napi::Value SandboxObject::RemoveWatchpoint(const Napi::CallbackInfo& info) {
  inspectable_sandbox();
  const int id = id_argument(info[0], "watchpoint");
  on_vcpu(*vcpu_, [&] { debugger().remove_watchpoint(id); });
  return info.Env().Undefined();
}

Napi::Value SandboxObject::EnableWatchpoint(const Napi::CallbackInfo& info) {
  inspectable_sandbox();
  const int id = id_argument(info[0], "watchpoint");
  const bool enabled = info[1].ToBoolean();
  on_vcpu(*vcpu_, [&] { debugger().enable_watchpoint(id, enabled); });
  return info.Env().Undefined();
}

// watchpoints(): [{ id, address, length, kind, enabled, hits }]
Napi::Value SandboxObject::Watchpoints(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  inspectable_sandbox();
  std::vector<Watchpoint> watchpoints;
  on_vcpu(*vcpu_, [&] { watchpoints = debugger().watchpoints(); });
  Napi::Array array = Napi::Array::New(env, watchpoints.size());
  for (size_t i = 0; i < watchpoints.size(); ++i) {
    const Watchpoint& w = watchpoints[i];
    Napi::Object object = Napi::Object::New(env);
    object.Set("id", w.id);
    object.Set("address", bigint(env, w.address));
    object.Set("length", w.length);
    object.Set("kind", watch_kind_name(w.kind));
    object.Set("enabled", w.enabled);
    object.Set("hits", double(w.hits));
    array.Set(uint32_t(i), object);
  }
  return array;
}

// disassemble(address: bigint, count: number): [{ address, size, bytes, mnemonic, operands,
// symbol, file?, line?, target?, targetSymbol? }], Intel syntax. Bytes that are no
// instruction show as one byte of '(bad)'.
Napi::Value SandboxObject::Disassemble(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Sandbox& box = inspectable_sandbox();
  uint64_t address = address_argument(info[0]);
  const uint64_t count = count_argument(info[1], "count");
  if (count > 10000) throw usage_error("disassemble at most 10000 instructions at once");
  if (!box.memory().contains(address, 1)) throw EngineError(ErrorKind::Memory, box.memory().describe_range(address, 1));
  Debugger& debug = debugger();
  Napi::Array array = Napi::Array::New(env);
  for (uint32_t i = 0; i < count && box.memory().contains(address, 1); ++i) {
    Instruction instruction = debug.instruction_at(address);
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

// backtrace(): [{ rip, rsp, symbol, file?, line? }], the running frame first.
Napi::Value SandboxObject::Backtrace(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Sandbox& box = inspectable_sandbox();
  Debugger& debug = debugger();
  std::vector<FrameRegisters> frames;
  on_vcpu(*vcpu_, [&] {
    const Registers registers = box.backend().registers();
    frames = backtrace(&debug.debug_info(), box.memory(), {registers.rip, registers.rsp, registers.rbp},
                       MS_HALT_ADDRESS);
  });
  Napi::Array array = Napi::Array::New(env, frames.size());
  for (size_t i = 0; i < frames.size(); ++i) {
    Napi::Object object = Napi::Object::New(env);
    object.Set("rip", bigint(env, frames[i].rip));
    object.Set("rsp", bigint(env, frames[i].rsp));
    object.Set("symbol", box.symbolize(frames[i].rip));
    // A caller's RIP is a return address: its line is the call's, one byte back.
    add_source_line(debug, object, i == 0 ? frames[i].rip : frames[i].rip - 1);
    array.Set(uint32_t(i), object);
  }
  return array;
}

// sourceLine(address: bigint): { file, line } | null
Napi::Value SandboxObject::SourceLine(const Napi::CallbackInfo& info) {
  inspectable_sandbox();
  const uint64_t address = address_argument(info[0]);
  microscope::SourceLine line;
  if (!debugger().debug_info().line_at(address, &line)) return info.Env().Null();
  Napi::Object object = Napi::Object::New(info.Env());
  object.Set("file", line.file);
  object.Set("line", line.line);
  return object;
}

// lineAddresses(file: string, line: number): bigint[], where the line's code starts
Napi::Value SandboxObject::LineAddresses(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  inspectable_sandbox();
  if (!info[0].IsString()) throw usage_error("file must be a string");
  const std::string file = info[0].As<Napi::String>().Utf8Value();
  const uint64_t line = count_argument(info[1], "line");
  const std::vector<uint64_t> addresses = debugger().debug_info().addresses_of(file, int(line));
  Napi::Array array = Napi::Array::New(env, addresses.size());
  for (size_t i = 0; i < addresses.size(); ++i) array.Set(uint32_t(i), bigint(env, addresses[i]));
  return array;
}

// symbolAddress(name: string): bigint | undefined
Napi::Value SandboxObject::SymbolAddress(const Napi::CallbackInfo& info) {
  Sandbox& box = inspectable_sandbox();
  if (!info[0].IsString()) throw usage_error("a symbol's name must be a string");
  uint64_t address = 0;
  if (!box.find_symbol(info[0].As<Napi::String>().Utf8Value(), &address)) return info.Env().Undefined();
  return bigint(info.Env(), address);
}

// symbolize(address: bigint): "fib+0x1c"
Napi::Value SandboxObject::Symbolize(const Napi::CallbackInfo& info) {
  Sandbox& box = inspectable_sandbox();
  return Napi::String::New(info.Env(), box.symbolize(address_argument(info[0])));
}

}  // namespace microscope
