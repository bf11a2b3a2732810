#include "sandbox_object.h"

#include <algorithm>

#include "../core/debug/debugger.h"
#include "../core/debug/entry_arguments.h"
#include "../core/measure.h"
#include "addon_state.h"
#include "arguments.h"
#include "coverage_work.h"
#include "cpu_profile_session.h"
#include "js_registers.h"
#include "js_reports.h"

namespace microscope {

namespace {

// The arguments after `first` in `info`, or the elements of an array, converted for
// `function` by its signature. `values` is scratch space kept between calls.
void arguments_from(const ElfImage& image, size_t function, const Napi::CallbackInfo& info, size_t first,
                    std::vector<Napi::Value>* values, std::vector<microscope::Value>* args) {
  values->clear();
  for (size_t i = first; i < info.Length(); ++i) values->push_back(info[i]);
  call_arguments(image.exports(), function, values->data(), values->size(), args);
  values->clear();
}

}  // namespace

void arguments_from(const ElfImage& image, size_t function, Napi::Array list, std::vector<Napi::Value>* values,
                    std::vector<microscope::Value>* args) {
  values->clear();
  for (uint32_t i = 0; i < list.Length(); ++i) values->push_back(list.Get(i));
  call_arguments(image.exports(), function, values->data(), values->size(), args);
  values->clear();
}

namespace {

// call() and invoke(): one call of a function, begun on the JS thread where the backend
// allows. Its arguments and options are set before each start; its result is the
// sandbox's, valid until the next call.
class CallWork : public CallRunner::Work {
 public:
  explicit CallWork(CallRunner& runner) : runner_(runner) {}
  size_t function = 0;
  bool report = false;  // invoke(): the whole report, not just the value
  std::vector<microscope::Value> args;
  CallOptions options;

  bool begins_here() const override { return true; }
  void begin(Sandbox& sandbox) override { sandbox.begin_call(function, args, options); }
  void finished_here(Sandbox& sandbox) override { result_ = &sandbox.finish(); }
  void run(CallRunner& runner, bool resumed) override {
    Sandbox& sandbox = *runner.made();
    if (!resumed) {
      sandbox.begin_call(function, args, options);
      if (runner.cancel_requested()) sandbox.cancel();
    }
    sandbox.run(true, 0);
    result_ = &sandbox.finish();
  }
  void settle(Napi::Env env, Napi::Promise::Deferred& deferred) override {
    const char* backend = runner_.made()->backend_name();
    if (result_->kind != OutcomeKind::Returned) {
      deferred.Reject(runner_.state().errors.from_outcome(env, *result_, backend));
    } else if (report) {
      deferred.Resolve(report_to_js(env, *result_, runner_.image().exports()[function].returns, backend));
    } else {
      deferred.Resolve(to_js(env, result_->value));
    }
  }

 private:
  CallRunner& runner_;
  const CallOutcome* result_ = nullptr;
};

// measure(): the native loop (core/measure.h), stopped early by cancel().
class MeasureWork : public CallRunner::Work {
 public:
  explicit MeasureWork(CallRunner& runner) : runner_(runner) {}
  size_t function = 0;
  std::vector<microscope::Value> args;
  MeasureMode mode = MeasureMode::Restore;
  uint64_t iterations = 0;

  void run(CallRunner& runner, bool) override {
    measurement_ = measure(*runner.made(), function, args, mode, iterations, runner.cancel_requested());
  }
  void settle(Napi::Env env, Napi::Promise::Deferred& deferred) override {
    Measurement measurement = std::move(measurement_);
    if (measurement.failed) {
      deferred.Reject(runner_.state().errors.from_outcome(env, measurement.failure, runner_.made()->backend_name()));
    } else {
      deferred.Resolve(measurement_to_js(env, measurement));
    }
  }

 private:
  CallRunner& runner_;
  Measurement measurement_;
};

// trace(): one call, traced (core/debug/call_trace.h).
class TraceWork : public CallRunner::Work {
 public:
  explicit TraceWork(CallRunner& runner) : runner_(runner) {}
  size_t function = 0;
  std::vector<microscope::Value> args;

  void run(CallRunner& runner, bool) override {
    trace_ = trace_call(*runner.made(), function, args);
    // The arguments' text needs the guest's DWARF, read here on the vCPU thread.
    EntryArguments entry(*runner.made(), runner.debugger().code());
    const auto& symbols = runner.made()->image().symbols();
    const uint64_t bias = runner.made()->layout().load_bias;
    arguments_.assign(trace_.entry_arguments.size(), std::string());
    for (const TraceEvent& event : trace_.events) {
      if (event.kind == TraceEvent::Kind::Function && event.arguments < arguments_.size())
        arguments_[event.arguments] =
            entry.text(symbols[event.index].address + bias, trace_.entry_arguments[event.arguments]);
    }
  }
  void settle(Napi::Env env, Napi::Promise::Deferred& deferred) override {
    CallTrace trace = std::move(trace_);
    trace_ = CallTrace{};
    std::vector<std::string> arguments = std::move(arguments_);
    Sandbox& sandbox = *runner_.made();
    deferred.Resolve(trace_to_js(env, trace, arguments, sandbox.image(), sandbox.layout().load_bias,
                                 sandbox.backend_name(), runner_.state().errors));
  }

 private:
  CallRunner& runner_;
  CallTrace trace_;
  std::vector<std::string> arguments_;
};

}  // namespace

// One of each kind of work, reused: a call allocates nothing here; and a call's JS
// arguments while they are read.
struct SandboxObject::Works {
  explicit Works(CallRunner& runner) : call(runner), measure(runner), trace(runner), cpu_profile(runner) {}
  CallWork call;
  MeasureWork measure;
  TraceWork trace;
  CpuProfileSession cpu_profile;
  CoverageWorkHolder coverage;
  std::vector<Napi::Value> scratch;
};

// new NativeSandbox(elf: Uint8Array, options: object, hostFunctions: array). The guest is
// parsed here; init() makes the micro-VM on its vCPU thread and runs the guest's init.
SandboxObject::SandboxObject(const Napi::CallbackInfo& info)
    : WrappedClass<SandboxObject>(info), state_(info.Env().GetInstanceData<AddonState>()) {
  Napi::Env env = info.Env();
  try {
    auto image = std::make_shared<const ElfImage>(ElfImage::parse(bytes_argument(info[0], "guest")));
    runner_ = std::make_unique<CallRunner>(env, state_, std::move(image), sandbox_options(info[1]),
                                           array_argument(info[2], "hostFunctions"));
  } catch (const EngineError& error) {
    throw_error(env, error);
  }
  works_ = std::make_unique<Works>(*runner_);
  state_->sandboxes.insert(this);
}

SandboxObject::~SandboxObject() {
  state_->sandboxes.erase(this);
  runner_.reset();
}

void SandboxObject::shut_down() {
  if (runner_) runner_->shut_down();
}

void SandboxObject::throw_error(Napi::Env env, const EngineError& error) {
  throw Napi::Error(env, state_->errors.from_engine_error(env, error));
}

namespace {
namespace op {

Napi::Value functions(SandboxObject& self, const Napi::CallbackInfo& info) {
  return functions_to_js(info.Env(), self.runner().image().exports());
}

Napi::Value backend(SandboxObject& self, const Napi::CallbackInfo& info) {
  Sandbox* sandbox = self.runner().made();
  return Napi::String::New(info.Env(), sandbox ? sandbox->backend_name() : "none");
}

Napi::Value backend_reason(SandboxObject& self, const Napi::CallbackInfo& info) {
  Sandbox* sandbox = self.runner().made();
  return Napi::String::New(info.Env(), sandbox ? sandbox->backend_reason() : "");
}

Napi::Value busy(SandboxObject& self, const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), self.runner().busy());
}

Napi::Value layout(SandboxObject& self, const Napi::CallbackInfo& info) {
  return layout_to_js(info.Env(), self.runner().idle().layout());
}

// init(): Promise<void>
Napi::Value init(SandboxObject& self, const Napi::CallbackInfo& info) {
  return self.runner().init(info.Env(), self.Value());
}

// The work of a call of info[0], the sandbox idle; with_arguments: and info[1], an array,
// read as its arguments.
template <typename Work>
Work& call_of(SandboxObject& self, Work& work, const Napi::CallbackInfo& info) {
  self.runner().idle();
  work.function = function_argument(info[0], self.runner().image().exports().size());
  return work;
}

template <typename Work>
Work& with_arguments(SandboxObject& self, Work& work, const Napi::CallbackInfo& info) {
  call_of(self, work, info);
  arguments_from(self.runner().image(), work.function, array_argument(info[1], "args"), &self.works().scratch,
                 &work.args);
  return work;
}

// call(function: number, ...args): Promise<value>. The fast path: no options, no report.
Napi::Value call(SandboxObject& self, const Napi::CallbackInfo& info) {
  CallWork& work = call_of(self, self.works().call, info);
  arguments_from(self.runner().image(), work.function, info, 1, &self.works().scratch, &work.args);
  work.options = CallOptions{};
  work.options.restore = self.runner().options().restore;
  work.report = false;
  return self.runner().start(info.Env(), self.Value(), work, true);
}

// invoke(function: number, args: array, options: { restore?, timeoutMs? }): Promise<report>
Napi::Value invoke(SandboxObject& self, const Napi::CallbackInfo& info) {
  CallWork& work = with_arguments(self, self.works().call, info);
  work.options = call_options(info[2], self.runner().options());
  work.report = true;
  return self.runner().start(info.Env(), self.Value(), work, true);
}

// measure(function: number, args: array, mode: string, iterations: number): Promise<result>
Napi::Value measure(SandboxObject& self, const Napi::CallbackInfo& info) {
  MeasureWork& work = with_arguments(self, self.works().measure, info);
  const std::string mode = info[2].IsString() ? info[2].As<Napi::String>().Utf8Value() : "";
  if (!parse_measure_mode(mode, &work.mode))
    throw usage_error("mode must be warm, restore or cold (got '" + mode + "')");
  work.iterations = count_argument(info[3], "iterations");
  return self.runner().start(info.Env(), self.Value(), work, false);
}

// trace(function: number, args: array): Promise<trace> (js_reports.h)
Napi::Value trace(SandboxObject& self, const Napi::CallbackInfo& info) {
  return self.runner().start(info.Env(), self.Value(), with_arguments(self, self.works().trace, info), false);
}

// startCpuProfile(kind: 'exact' | 'sampled', rateHz: number): the calls that follow are
// profiled until stopCpuProfile(): Promise<profile> (cpu_profile_session.h).
Napi::Value start_cpu_profile(SandboxObject& self, const Napi::CallbackInfo& info) {
  self.works().cpu_profile.start(info);
  return info.Env().Undefined();
}

Napi::Value stop_cpu_profile(SandboxObject& self, const Napi::CallbackInfo& info) {
  return self.works().cpu_profile.stop(info.Env(), self.Value());
}

// coverage(function: number, calls: array of argument arrays): Promise<coverage> (coverage_work.h)
Napi::Value coverage(SandboxObject& self, const Napi::CallbackInfo& info) {
  return start_coverage(self, self.works().coverage, info);
}

Napi::Value cancel(SandboxObject& self, const Napi::CallbackInfo& info) {
  self.runner().cancel();
  return info.Env().Undefined();
}

Napi::Value dispose(SandboxObject& self, const Napi::CallbackInfo& info) {
  self.runner().dispose();
  return info.Env().Undefined();
}

// ---- What a sandbox holds: snapshots, dirty pages, memory and registers (these two also
// while a debugged call is paused). Changes happen on the vCPU thread. ----

Napi::Value take_snapshot(SandboxObject& self, const Napi::CallbackInfo& info) {
  Sandbox& box = self.runner().idle();
  uint64_t id = 0;
  self.runner().run_now([&] { id = box.snapshots().take(); });
  return Napi::Number::New(info.Env(), double(id));
}

Napi::Value restore_snapshot(SandboxObject& self, const Napi::CallbackInfo& info) {
  Sandbox& box = self.runner().idle();
  const uint64_t id = count_argument(info[0], "snapshot");
  self.runner().run_now([&] { box.snapshots().restore(id); });
  return info.Env().Undefined();
}

Napi::Value drop_snapshot(SandboxObject& self, const Napi::CallbackInfo& info) {
  Sandbox& box = self.runner().idle();
  box.snapshots().drop(count_argument(info[0], "snapshot"));
  return info.Env().Undefined();
}

// compareSnapshots(a: number, b?: number): where snapshot a differs from snapshot b, or
// from guest memory now: [{ page, ranges: [{ address, length }] }], addresses in guest memory.
Napi::Value compare_snapshots(SandboxObject& self, const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Sandbox& box = self.runner().inspectable();
  const uint64_t a = count_argument(info[0], "snapshot");
  const uint64_t b = info[1].IsUndefined() ? 0 : count_argument(info[1], "snapshot");
  std::vector<PageDifference> differences;
  self.runner().run_now([&] { differences = box.snapshots().compare(a, b); });
  return differences_to_js(env, differences);
}

// The guest addresses of the pages written since the last snapshot was taken or restored.
Napi::Value dirty_pages(SandboxObject& self, const Napi::CallbackInfo& info) {
  Sandbox& box = self.runner().idle();
  std::vector<uint32_t> pages;
  self.runner().run_now([&] {
    box.backend().collect_dirty_pages();
    pages = box.memory().dirty().pages();
  });
  std::sort(pages.begin(), pages.end());
  Napi::Array array = Napi::Array::New(info.Env(), pages.size());
  for (size_t i = 0; i < pages.size(); ++i) array.Set(uint32_t(i), double(uint64_t(pages[i]) * MS_PAGE_SIZE));
  return array;
}

// readMemory(address: number | bigint, length: number): Uint8Array
Napi::Value read_memory(SandboxObject& self, const Napi::CallbackInfo& info) {
  Sandbox& box = self.runner().inspectable();
  const uint64_t address = address_argument(info[0]);
  const uint64_t length = count_argument(info[1], "length");
  if (!box.memory().contains(address, length)) {
    throw EngineError(ErrorKind::Memory, box.memory().describe_range(address, length));
  }
  std::string bytes(length, '\0');
  box.memory().read(address, bytes.data(), length);
  return to_js(info.Env(), microscope::Value::of_bytes(std::move(bytes)));
}

// readSnapshot(id: number, address: number | bigint, length: number): Uint8Array, the bytes
// as snapshot `id` holds them.
Napi::Value read_snapshot(SandboxObject& self, const Napi::CallbackInfo& info) {
  Sandbox& box = self.runner().inspectable();
  const uint64_t id = count_argument(info[0], "snapshot");
  const uint64_t address = address_argument(info[1]);
  const uint64_t length = count_argument(info[2], "length");
  if (!box.memory().contains(address, length)) {
    throw EngineError(ErrorKind::Memory, box.memory().describe_range(address, length));
  }
  std::string bytes(length, '\0');
  box.snapshots().read(id, address, reinterpret_cast<uint8_t*>(bytes.data()), length);
  return to_js(info.Env(), microscope::Value::of_bytes(std::move(bytes)));
}

// writeMemory(address: number | bigint, bytes: Uint8Array): void
Napi::Value write_memory(SandboxObject& self, const Napi::CallbackInfo& info) {
  Sandbox& box = self.runner().inspectable();
  const uint64_t address = address_argument(info[0]);
  const std::vector<uint8_t> bytes = bytes_argument(info[1], "bytes");
  if (!box.memory().contains(address, bytes.size())) {
    throw EngineError(ErrorKind::Memory, box.memory().describe_range(address, bytes.size()));
  }
  self.runner().run_now([&] {
    box.memory().write(address, bytes.data(), bytes.size());
    box.backend().code_rewritten(address, address + bytes.size());
    if (Debugger* debug = self.runner().existing_debugger()) debug->state_edited();
  });
  return info.Env().Undefined();
}

// registers(): the vCPU's registers as the last call or restore left them.
Napi::Value registers(SandboxObject& self, const Napi::CallbackInfo& info) {
  Sandbox& box = self.runner().inspectable();
  RegisterSet registers;
  self.runner().run_now([&] { registers = RegisterSet::read(box.backend()); });
  return registers_to_js(info.Env(), registers);
}

// setRegisters(changes): changes the registers named; the next call sets its own entry
// registers (native/README.md, "Entry state") and a restore puts the snapshot's back.
Napi::Value set_registers(SandboxObject& self, const Napi::CallbackInfo& info) {
  Sandbox& box = self.runner().inspectable();
  RegisterSet registers;
  self.runner().run_now([&] { registers = RegisterSet::read(box.backend()); });
  apply_register_changes(info[0], &registers);
  self.runner().run_now([&] {
    registers.write(box.backend());
    if (Debugger* debug = self.runner().existing_debugger()) debug->state_edited();
  });
  return info.Env().Undefined();
}

}  // namespace op
}  // namespace

Napi::Function SandboxObject::Define(Napi::Env env) {
  return Surface()
      .method<&op::functions>("functions", 0)
      .method<&op::layout>("layout", 0)
      .accessor<&op::backend>("backend")
      .accessor<&op::backend_reason>("backendReason")
      .accessor<&op::busy>("busy")
      .method<&op::init>("init", 0)
      .method<&op::call>("call", 2)  // (function, ...args): the rest are the arguments
      .method<&op::invoke>("invoke", 3)
      .method<&op::measure>("measure", 4)
      .method<&op::trace>("trace", 2)
      .method<&op::start_cpu_profile>("startCpuProfile", 2)
      .method<&op::stop_cpu_profile>("stopCpuProfile", 0)
      .method<&op::coverage>("coverage", 2)
      .method<&op::cancel>("cancel", 0)
      .method<&op::take_snapshot>("snapshot", 0)
      .method<&op::restore_snapshot>("restore", 1)
      .method<&op::drop_snapshot>("dropSnapshot", 1)
      .method<&op::dirty_pages>("dirtyPages", 0)
      .method<&op::compare_snapshots>("compareSnapshots", 2)
      .method<&op::read_memory>("readMemory", 2)
      .method<&op::read_snapshot>("readSnapshot", 3)
      .method<&op::write_memory>("writeMemory", 2)
      .method<&op::registers>("registers", 0)
      .method<&op::set_registers>("setRegisters", 1)
      .method<&op::dispose>("dispose", 0)
      .define(env, "NativeSandbox");
}

}  // namespace microscope
