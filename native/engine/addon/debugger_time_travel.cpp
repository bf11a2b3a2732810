#include "debugger_time_travel.h"

#include "../core/debug/debugger.h"
#include "../core/errors.h"
#include "arguments.h"
#include "call_runner.h"
#include "debugger_object.h"

namespace microscope {

namespace {

Napi::Uint8Array bytes_to_js(Napi::Env env, const std::vector<uint8_t>& bytes) {
  Napi::Uint8Array array = Napi::Uint8Array::New(env, bytes.size());
  std::copy(bytes.begin(), bytes.end(), array.Data());
  return array;
}

Debugger& recorded(DebuggerObject& self) {
  self.runner().inspectable();
  Debugger* debug = self.runner().existing_debugger();
  if (!debug || !debug->recording()) throw usage_error("no recorded call: debug one with { record: true }");
  return *debug;
}

// A search of the recording, on the vCPU thread.
class LastWriteWork : public CallRunner::Work {
 public:
  LastWriteWork(CallRunner& runner, uint64_t address, uint32_t length, int reg = -1)
      : runner_(runner), address_(address), length_(length), reg_(reg) {}
  void run(CallRunner& runner, bool) override {
    found_ = reg_ >= 0 ? runner.debugger().last_register_write(reg_) : runner.debugger().last_write(address_, length_);
    if (found_.found) {
      symbol_ = runner.made()->symbolize(found_.instruction);
      has_line_ = runner.debugger().code().debug_info().line_at(found_.instruction, &line_);
    }
  }
  void settle(Napi::Env env, Napi::Promise::Deferred& deferred) override {
    Napi::Object object = Napi::Object::New(env);
    object.Set("found", found_.found);
    if (found_.found) {
      object.Set("position", Napi::Number::New(env, double(found_.position)));
      object.Set("instruction", Napi::BigInt::New(env, found_.instruction));
      object.Set("instructionSymbol", symbol_);
      if (has_line_) {
        object.Set("file", line_.file);
        object.Set("line", line_.line);
      }
      object.Set("oldValue", bytes_to_js(env, found_.old_value));
      object.Set("newValue", bytes_to_js(env, found_.new_value));
    }
    deferred.Resolve(object);
    (void)runner_;
  }

 private:
  CallRunner& runner_;
  uint64_t address_;
  uint32_t length_;
  int reg_;
  LastWrite found_;
  std::string symbol_;
  SourceLine line_;
  bool has_line_ = false;
};

const char* event_kind(RecordedEvent::Kind kind) {
  switch (kind) {
    case RecordedEvent::HostCall: return "host-call";
    case RecordedEvent::Breakpoint: return "breakpoint";
    case RecordedEvent::Watchpoint: return "watchpoint";
    case RecordedEvent::Fault: return "fault";
  }
  return "?";
}

}  // namespace

namespace time_travel_op {

Napi::Value last_write(DebuggerObject& self, const Napi::CallbackInfo& info) {
  recorded(self);
  const uint64_t address = address_argument(info[0]);
  const uint64_t length = count_argument(info[1], "length");
  if (length == 0 || length > 4096)
    throw usage_error("a last write's range is 1 to 4096 bytes, not " + std::to_string(length));
  std::unique_ptr<CallRunner::Work>& work = self.travel_work();
  work = std::make_unique<LastWriteWork>(self.runner(), address, uint32_t(length));
  return self.runner().start(info.Env(), self.Value(), *work, true);
}

Napi::Value last_register_write(DebuggerObject& self, const Napi::CallbackInfo& info) {
  recorded(self);
  const std::string name = info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  int reg = -1;
  for (int each = 0; each < FrameState::kCount && reg < 0; ++each) {
    if (FrameState::register_name(each) == name) reg = each;
  }
  if (name == "rflags" || name == "eflags") reg = FrameState::kRflags;
  if (reg < 0 || reg == FrameState::kRip)
    throw usage_error("'" + name +
                      "' is no register a last write can be asked of (rax ... r15, rflags, xmm0 ... xmm15)");
  std::unique_ptr<CallRunner::Work>& work = self.travel_work();
  work = std::make_unique<LastWriteWork>(self.runner(), 0, 0, reg);
  return self.runner().start(info.Env(), self.Value(), *work, true);
}

Napi::Value recording(DebuggerObject& self, const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  self.runner().inspectable();
  Debugger* debug = self.runner().existing_debugger();
  if (!debug || !debug->recording()) return env.Null();
  // Copied on the vCPU thread, made into JS values here: N-API is the JS thread's alone.
  struct Copy {
    uint64_t start, end, position, bytes, size_limit, checkpoints, interval;
    bool ended, dropped;
    std::vector<RecordedEvent> events;
  } copy{};
  self.runner().run_now([&] {
    const Recording& recording = *debug->recording();
    copy = Copy{recording.start(),
                recording.end(),
                debug->position(),
                recording.bytes(),
                recording.options().size_limit,
                recording.checkpoint_count(),
                recording.options().checkpoint_interval,
                recording.ended(),
                recording.dropped(),
                recording.events()};
  });
  auto number = [&](uint64_t value) { return Napi::Number::New(env, double(value)); };
  Napi::Object object = Napi::Object::New(env);
  object.Set("start", number(copy.start));
  object.Set("end", number(copy.end));
  object.Set("position", number(copy.position));
  object.Set("ended", copy.ended);
  object.Set("dropped", copy.dropped);
  object.Set("bytes", number(copy.bytes));
  object.Set("sizeLimit", number(copy.size_limit));
  object.Set("checkpoints", number(copy.checkpoints));
  object.Set("checkpointInterval", number(copy.interval));
  Napi::Array events = Napi::Array::New(env, copy.events.size());
  for (size_t i = 0; i < copy.events.size(); ++i) {
    const RecordedEvent& event = copy.events[i];
    Napi::Object each = Napi::Object::New(env);
    each.Set("kind", event_kind(event.kind));
    each.Set("position", number(event.position));
    if (event.id) each.Set("id", event.id);
    if (!event.function.empty()) each.Set("function", event.function);
    events.Set(uint32_t(i), each);
  }
  object.Set("events", events);
  return object;
}

}  // namespace time_travel_op
}  // namespace microscope
