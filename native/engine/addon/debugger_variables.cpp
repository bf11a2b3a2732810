#include "debugger_variables.h"

#include <cstring>

#include "../core/debug/c_expression.h"
#include "../core/debug/debugger.h"
#include "../core/debug/variable_text.h"
#include "arguments.h"
#include "call_runner.h"
#include "debugger_object.h"

namespace microscope {

namespace {

// A variable as the JS side gets it, made on the vCPU thread.
struct VariableReport {
  std::string name, value, type, expression, unavailable;
  bool expandable = false;
  bool has_address = false;
  uint64_t address = 0;
  uint64_t size = 0;   // bytes at `address`
  int64_t count = -1;  // an array's elements
};

TextLimits limits_for(Sandbox& box) {
  TextLimits limits;
  limits.function_at = [&box](uint64_t address) { return box.symbolize(address); };
  return limits;
}

VariableReport report(const FrameContext& frame, const std::string& name, const std::string& expression,
                      const DebugValue& value, const TextLimits& limits) {
  VariableReport r;
  r.name = name;
  r.expression = expression;
  r.value = value_text(frame, value, limits);
  r.type = type_name(value.type);
  r.unavailable = value.unavailable;
  r.expandable = has_children(frame, value);
  r.has_address = value.place == DebugValue::Place::Memory && value.available() && !value.bit_size;
  r.address = value.address;
  r.size = value.bytes.empty() ? byte_size(value.type) : value.bytes.size();
  r.count = child_count(value);
  return r;
}

Napi::Object to_js(Napi::Env env, const VariableReport& r) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("name", r.name);
  object.Set("value", r.value);
  object.Set("type", r.type);
  object.Set("expression", r.expression);
  object.Set("expandable", r.expandable);
  if (r.has_address) object.Set("address", Napi::BigInt::New(env, r.address));
  if (r.has_address && r.size) object.Set("size", double(r.size));
  if (r.count >= 0) object.Set("count", double(r.count));
  if (!r.unavailable.empty()) object.Set("unavailable", r.unavailable);
  return object;
}

Napi::Array to_js(Napi::Env env, const std::vector<VariableReport>& reports) {
  Napi::Array array = Napi::Array::New(env, reports.size());
  for (size_t i = 0; i < reports.size(); ++i) array.Set(uint32_t(i), to_js(env, reports[i]));
  return array;
}

std::string string_argument(const Napi::Value& value, const char* what) {
  if (!value.IsString()) throw usage_error(std::string(what) + " must be a string");
  return value.As<Napi::String>().Utf8Value();
}

size_t frame_argument(const Napi::Value& value) {
  if (value.IsUndefined()) return 0;
  return size_t(count_argument(value, "frame"));
}

Debugger& paused(DebuggerObject& self) {
  self.runner().inspectable();
  Debugger* debug = self.runner().existing_debugger();
  if (!debug || !debug->active())
    throw usage_error("no call is being debugged: variables are there while one is paused");
  return *debug;
}

DebugValue evaluate_in(Debugger& debug, const FrameContext& frame, const std::string& expression) {
  return Expression::parse(expression, debug.code().types()).evaluate(frame);
}

// DWARF's register numbers into the backend's registers.
void write_register(Backend& backend, int reg, const std::vector<uint8_t>& bytes) {
  if (reg >= FrameState::kXmm0 && reg < FrameState::kXmm0 + 16) {
    SseRegisters sse = backend.sse_registers();
    std::memcpy(sse.xmm[reg - FrameState::kXmm0], bytes.data(), 16);
    backend.set_sse_registers(sse);
    return;
  }
  Registers r = backend.registers();
  uint64_t value = 0;
  std::memcpy(&value, bytes.data(), 8);
  uint64_t* const fields[17] = {&r.rax, &r.rdx, &r.rcx, &r.rbx, &r.rsi, &r.rdi, &r.rbp, &r.rsp, &r.r8,
                                &r.r9,  &r.r10, &r.r11, &r.r12, &r.r13, &r.r14, &r.r15, &r.rip};
  if (reg == 49)
    r.rflags = value;
  else if (reg >= 0 && reg < 17)
    *fields[reg] = value;
  else
    throw usage_error("can't set DWARF register " + std::to_string(reg));
  backend.set_registers(r);
}

}  // namespace

namespace variables_op {

Napi::Value scopes(DebuggerObject& self, const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Debugger& debug = paused(self);
  const size_t index = frame_argument(info[0]);
  Sandbox& box = self.runner().inspectable();
  std::string function;
  std::vector<VariableReport> lists[3];
  self.runner().run_now([&] {
    const FrameContext frame = debug.frame(index);
    const FrameScopes scopes = frame_scopes(frame);
    const TextLimits limits = limits_for(box);
    function = scopes.function;
    const std::vector<NamedValue>* sources[3] = {&scopes.arguments, &scopes.locals, &scopes.globals};
    for (int i = 0; i < 3; ++i) {
      for (const NamedValue& v : *sources[i]) lists[i].push_back(report(frame, v.name, v.name, v.value, limits));
    }
  });
  Napi::Object object = Napi::Object::New(env);
  object.Set("function", function);
  object.Set("arguments", to_js(env, lists[0]));
  object.Set("locals", to_js(env, lists[1]));
  object.Set("globals", to_js(env, lists[2]));
  return object;
}

Napi::Value evaluate(DebuggerObject& self, const Napi::CallbackInfo& info) {
  const std::string expression = string_argument(info[0], "an expression");
  const size_t index = frame_argument(info[1]);
  Debugger& debug = paused(self);
  Sandbox& box = self.runner().inspectable();
  VariableReport result;
  self.runner().run_now([&] {
    const FrameContext frame = debug.frame(index);
    result = report(frame, expression, expression, evaluate_in(debug, frame, expression), limits_for(box));
  });
  return to_js(info.Env(), result);
}

Napi::Value children(DebuggerObject& self, const Napi::CallbackInfo& info) {
  const std::string expression = string_argument(info[0], "an expression");
  const size_t index = frame_argument(info[1]);
  const uint64_t start = info[2].IsUndefined() ? 0 : count_argument(info[2], "start");
  const uint64_t count = info[3].IsUndefined() ? 1000 : count_argument(info[3], "count");
  if (count > 100000) throw usage_error("children: at most 100000 at once");
  Debugger& debug = paused(self);
  Sandbox& box = self.runner().inspectable();
  std::vector<VariableReport> reports;
  self.runner().run_now([&] {
    const FrameContext frame = debug.frame(index);
    const TextLimits limits = limits_for(box);
    const DebugValue value = evaluate_in(debug, frame, expression);
    for (const ChildValue& child : children_of(frame, value, expression, start, count)) {
      reports.push_back(report(frame, child.name, child.expression, child.value, limits));
    }
  });
  return to_js(info.Env(), reports);
}

Napi::Value set_variable(DebuggerObject& self, const Napi::CallbackInfo& info) {
  const std::string expression = string_argument(info[0], "a variable's expression");
  const std::string text = string_argument(info[1], "a variable's new value");
  const size_t index = frame_argument(info[2]);
  Debugger& debug = paused(self);
  Sandbox& box = self.runner().inspectable();
  VariableReport result;
  self.runner().run_now([&] {
    const FrameContext frame = debug.frame(index);
    const DebugValue target = evaluate_in(debug, frame, expression);
    const DebugValue value = evaluate_in(debug, frame, text);
    GuestWriter writer;
    writer.memory = [&](uint64_t address, const std::vector<uint8_t>& bytes) {
      box.memory().write(address, bytes.data(), bytes.size());
      box.backend().code_rewritten(address, address + bytes.size());
    };
    writer.reg = [&](int reg, const std::vector<uint8_t>& bytes) { write_register(box.backend(), reg, bytes); };
    assign(frame, target, value, expression, writer);
    debug.state_edited();
    const FrameContext after = debug.frame(index);
    result = report(after, expression, expression, evaluate_in(debug, after, expression), limits_for(box));
  });
  return to_js(info.Env(), result);
}

Napi::Value backtrace(DebuggerObject& self, const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Sandbox& box = self.runner().inspectable();
  Debugger& debug = self.runner().debugger();
  struct FrameReport {
    uint64_t rip, rsp;
    bool innermost;  // its RIP is about to run, not a return address
    std::string function, call_file;
    int call_line;
    std::vector<std::pair<std::string, std::string>> args;
  };
  std::vector<FrameReport> frames;
  self.runner().run_now([&] {
    const std::vector<FrameState> states = debug.frames();
    TextLimits limits = limits_for(box);
    limits.text = 60;  // a Stack panel's line: fib(n=3)
    limits.string_length = 40;
    const std::vector<Debugger::StackFrame> stack = debug.stack(states);
    for (size_t number = 0; number < stack.size(); ++number) {
      const Debugger::StackFrame& at = stack[number];
      const FrameState& state = states[at.index];
      const FrameContext frame{
          box.memory(), debug.code().debug_info(), debug.code().types(), state, at.index, at.inline_level,
          number,       debug.call_entry()};
      const FrameScopes scopes = frame_scopes(frame, false);
      // An inlined call's caller is at the line of the call, not of the code at its PC.
      const bool outer = at.inline_level > 0;
      FrameReport r{state.rip(),
                    state.rsp(),
                    at.index == 0,
                    scopes.function,
                    outer ? at.function.call_file : "",
                    outer ? at.function.call_line : 0,
                    {}};
      for (const NamedValue& v : scopes.arguments) r.args.emplace_back(v.name, value_text(frame, v.value, limits));
      frames.push_back(std::move(r));
    }
  });
  Napi::Array array = Napi::Array::New(env, frames.size());
  for (size_t i = 0; i < frames.size(); ++i) {
    const FrameReport& f = frames[i];
    Napi::Object object = Napi::Object::New(env);
    object.Set("rip", Napi::BigInt::New(env, f.rip));
    object.Set("rsp", Napi::BigInt::New(env, f.rsp));
    object.Set("symbol", box.symbolize(f.rip));
    // A caller's RIP is a return address: its line is the call's, one byte back.
    SourceLine line;
    if (f.call_line > 0) {
      object.Set("file", f.call_file);
      object.Set("line", f.call_line);
    } else if (debug.code().debug_info().line_at(f.innermost ? f.rip : f.rip - 1, &line)) {
      object.Set("file", line.file);
      object.Set("line", line.line);
    }
    if (!f.function.empty()) object.Set("function", f.function);
    Napi::Array args = Napi::Array::New(env, f.args.size());
    for (size_t j = 0; j < f.args.size(); ++j) {
      Napi::Object arg = Napi::Object::New(env);
      arg.Set("name", f.args[j].first);
      arg.Set("value", f.args[j].second);
      args.Set(uint32_t(j), arg);
    }
    object.Set("args", args);
    array.Set(uint32_t(i), object);
  }
  return array;
}

}  // namespace variables_op
}  // namespace microscope
