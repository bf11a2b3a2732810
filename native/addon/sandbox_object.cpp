#include "sandbox_object.h"

#include "addon_state.h"
#include "arguments.h"

namespace microscope {

namespace {

// How long a call may run on the JS thread before it moves to the vCPU thread.
constexpr int64_t kJsThreadSliceNs = 1'000'000;

const char* access_text(uint8_t access) {
  static const char* const kTexts[] = {"---", "r--", "-w-", "rw-", "--x", "r-x", "-wx", "rwx"};
  return kTexts[access & 7];
}

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
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::ReadMemory>>("readMemory"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::WriteMemory>>("writeMemory"),
                         InstanceMethod<&SandboxObject::Guarded<&SandboxObject::Dispose>>("dispose"),
                     });
}

// new NativeSandbox(elf: Uint8Array, options: object, hostFunctions: array)
SandboxObject::SandboxObject(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<SandboxObject>(info), state_(info.Env().GetInstanceData<AddonState>()) {
  Napi::Env env = info.Env();
  try {
    std::vector<uint8_t> elf = bytes_argument(info[0], "guest");
    const SandboxOptions options = sandbox_options(info[1]);
    js_thread_ = std::make_unique<JsThread>(env);
    host_ = std::make_unique<JsHostFunctions>(env, array_argument(info[2], "hostFunctions"), js_thread_.get());
    auto image = std::make_shared<const ElfImage>(ElfImage::parse(std::move(elf)));
    sandbox_ = std::make_unique<Sandbox>(std::move(image), options, host_.get());
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
  if (sandbox_) sandbox_->cancel();
  measure_stop_ = true;
  vcpu_.reset();  // joins: the job under way ends quickly once cancelled
  sandbox_.reset();
  host_.reset();
  js_thread_.reset();
}

void SandboxObject::shut_down() { release(); }

void SandboxObject::throw_error(Napi::Env env, const EngineError& error) {
  throw Napi::Error(env, state_->errors.from_engine_error(env, error));
}

Sandbox& SandboxObject::sandbox() {
  if (!sandbox_ || dispose_requested_) throw usage_error("the sandbox has been disposed");
  if (pending_) throw EngineError(ErrorKind::Busy, "the sandbox is running a call");
  return *sandbox_;
}

VcpuThread& SandboxObject::vcpu() {
  if (!vcpu_) vcpu_ = std::make_unique<VcpuThread>();
  return *vcpu_;
}

Napi::Value SandboxObject::Functions(const Napi::CallbackInfo& info) {
  if (!sandbox_) throw usage_error("the sandbox has been disposed");
  return functions_to_js(info.Env(), sandbox_->functions());
}

Napi::Value SandboxObject::Backend(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), sandbox_ ? sandbox_->backend_name() : "disposed");
}

Napi::Value SandboxObject::BackendReason(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), sandbox_ ? sandbox_->backend_reason() : "");
}

Napi::Value SandboxObject::Busy(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), pending_.has_value());
}

Napi::Value SandboxObject::Layout(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!sandbox_) throw usage_error("the sandbox has been disposed");
  const microscope::Layout& layout = sandbox_->layout();
  Napi::Object object = Napi::Object::New(env);
  object.Set("memorySize", double(layout.memory_size));
  object.Set("loadBias", double(layout.load_bias));
  object.Set("inputBuffer", double(layout.input_buffer));
  object.Set("outputBuffer", double(layout.output_buffer));
  object.Set("ioBufferSize", double(layout.io_buffer_size));
  object.Set("heapBegin", double(layout.heap_begin));
  object.Set("heapEnd", double(layout.heap_end));
  object.Set("stackBase", double(layout.stack_base));
  object.Set("stackTop", double(layout.stack_top));
  Napi::Array regions = Napi::Array::New(env, layout.regions.size());
  for (size_t i = 0; i < layout.regions.size(); ++i) {
    const Region& region = layout.regions[i];
    Napi::Object r = Napi::Object::New(env);
    r.Set("name", region.name);
    r.Set("begin", double(region.begin));
    r.Set("end", double(region.end));
    r.Set("access", access_text(region.access));
    regions.Set(uint32_t(i), r);
  }
  object.Set("regions", regions);
  return object;
}

// init(): Promise<void>
Napi::Value SandboxObject::Init(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  sandbox().begin_init();
  return start(env, Work::Init, 0);
}

// call(function: number, ...args): Promise<value>. The fast path: no options, no report.
Napi::Value SandboxObject::Call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Sandbox& box = sandbox();
  const size_t function = function_argument(info[0], box.functions().size());
  std::vector<napi_value> raw(info.Length() > 1 ? info.Length() - 1 : 0);
  std::vector<Napi::Value> values;
  values.reserve(raw.size());
  for (size_t i = 1; i < info.Length(); ++i) values.push_back(info[i]);
  std::vector<microscope::Value> args = call_arguments(box.functions(), function, values.data(), values.size());
  box.begin_call(function, std::move(args), CallOptions{});
  return start(env, Work::Call, function);
}

// invoke(function: number, args: array, options: { restore?, timeoutMs? }): Promise<report>
Napi::Value SandboxObject::Invoke(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Sandbox& box = sandbox();
  const size_t function = function_argument(info[0], box.functions().size());
  Napi::Array list = array_argument(info[1], "args");
  std::vector<Napi::Value> values;
  for (uint32_t i = 0; i < list.Length(); ++i) values.push_back(list.Get(i));
  std::vector<microscope::Value> args = call_arguments(box.functions(), function, values.data(), values.size());
  box.begin_call(function, std::move(args), call_options(info[2]));
  return start(env, Work::Invoke, function);
}

Napi::Value SandboxObject::start(Napi::Env env, Work work, size_t function) {
  Pending pending{Napi::Promise::Deferred::New(env), work, function};
  Napi::Promise promise = pending.deferred.Promise();
  const Sandbox::Step step = sandbox_->step(false, kJsThreadSliceNs);
  if (step == Sandbox::Step::Finished) {
    settle(env, std::move(pending), sandbox_->finish());
    return promise;
  }
  // Too long for the JS thread, or a host function answers later: go on elsewhere.
  pending_ = std::move(pending);
  self_ = Napi::Persistent(Value());
  js_thread_->keep_alive(env, true);
  vcpu().post([this] {
    sandbox_->step(true, 0);  // a call that is running can always take a step
    js_thread_->post([this](Napi::Env env) { on_vcpu_done(env); });
  });
  return promise;
}

void SandboxObject::on_vcpu_done(Napi::Env env) {
  Pending pending = std::move(*pending_);
  pending_.reset();
  js_thread_->keep_alive(env, false);
  if (pending.work == Work::Measure) {
    Measurement measurement = std::move(measurement_);
    if (measurement.failed) {
      pending.deferred.Reject(state_->errors.from_outcome(env, measurement.failure, sandbox_->backend_name()));
    } else {
      pending.deferred.Resolve(measurement_to_js(env, measurement));
    }
  } else {
    settle(env, std::move(pending), sandbox_->finish());
  }
  self_.Reset();
  if (dispose_requested_) release();
}

void SandboxObject::settle(Napi::Env env, Pending pending, CallOutcome outcome) {
  const char* backend = sandbox_->backend_name();
  if (outcome.kind != OutcomeKind::Returned) {
    pending.deferred.Reject(state_->errors.from_outcome(env, outcome, backend));
    return;
  }
  switch (pending.work) {
    case Work::Init: pending.deferred.Resolve(env.Undefined()); break;
    case Work::Call: pending.deferred.Resolve(to_js(env, outcome.value)); break;
    case Work::Invoke:
      pending.deferred.Resolve(
          report_to_js(env, outcome, sandbox_->functions()[pending.function].returns, backend));
      break;
    case Work::Measure: break;
  }
}

// measure(function: number, args: array, mode: string, iterations: number): Promise<result>
Napi::Value SandboxObject::Measure(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Sandbox& box = sandbox();
  const size_t function = function_argument(info[0], box.functions().size());
  Napi::Array list = array_argument(info[1], "args");
  std::vector<Napi::Value> values;
  for (uint32_t i = 0; i < list.Length(); ++i) values.push_back(list.Get(i));
  std::vector<microscope::Value> args = call_arguments(box.functions(), function, values.data(), values.size());
  MeasureMode mode;
  const std::string mode_name = info[2].IsString() ? info[2].As<Napi::String>().Utf8Value() : "";
  if (!parse_measure_mode(mode_name, &mode)) {
    throw usage_error("mode must be warm, restore or cold (got '" + mode_name + "')");
  }
  const uint64_t iterations = count_argument(info[3], "iterations");

  pending_ = Pending{Napi::Promise::Deferred::New(env), Work::Measure, function};
  Napi::Promise promise = pending_->deferred.Promise();
  self_ = Napi::Persistent(Value());
  js_thread_->keep_alive(env, true);
  measure_stop_ = false;
  vcpu().post([this, function, args = std::move(args), mode, iterations] {
    try {
      measurement_ = measure(*sandbox_, function, args, mode, iterations, measure_stop_);
    } catch (const EngineError& error) {  // a cold sandbox that could not be made
      measurement_ = Measurement{};
      measurement_.failed = true;
      measurement_.failure.kind = OutcomeKind::HostError;
      measurement_.failure.message = error.what();
    }
    js_thread_->post([this](Napi::Env env) { on_vcpu_done(env); });
  });
  return promise;
}

Napi::Value SandboxObject::Cancel(const Napi::CallbackInfo& info) {
  measure_stop_ = true;
  if (sandbox_) sandbox_->cancel();
  return info.Env().Undefined();
}

Napi::Value SandboxObject::TakeSnapshot(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Sandbox& box = sandbox();
  if (!box.initialized()) throw usage_error("the sandbox is not initialised");
  return Napi::Number::New(env, double(box.snapshots().take()));
}

Napi::Value SandboxObject::RestoreSnapshot(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Sandbox& box = sandbox();
  box.snapshots().restore(count_argument(info[0], "snapshot"));
  return env.Undefined();
}

Napi::Value SandboxObject::DropSnapshot(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Sandbox& box = sandbox();
  box.snapshots().drop(count_argument(info[0], "snapshot"));
  return env.Undefined();
}

// The pages written since the last snapshot was taken or restored.
Napi::Value SandboxObject::DirtyPages(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Sandbox& box = sandbox();
  box.backend().collect_dirty_pages();
  std::vector<uint32_t> pages = box.memory().dirty().pages();
  std::sort(pages.begin(), pages.end());
  Napi::Array array = Napi::Array::New(env, pages.size());
  for (size_t i = 0; i < pages.size(); ++i) array.Set(uint32_t(i), double(uint64_t(pages[i]) * MS_PAGE_SIZE));
  return array;
}

// readMemory(address: number | bigint, length: number): Uint8Array
Napi::Value SandboxObject::ReadMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Sandbox& box = sandbox();
  const uint64_t address = address_argument(info[0]);
  const uint64_t length = count_argument(info[1], "length");
  std::string bytes(length, '\0');
  box.memory().read(address, bytes.data(), length);
  return to_js(env, microscope::Value::of_bytes(std::move(bytes)));
}

// writeMemory(address: number | bigint, bytes: Uint8Array): void
Napi::Value SandboxObject::WriteMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Sandbox& box = sandbox();
  const uint64_t address = address_argument(info[0]);
  const std::vector<uint8_t> bytes = bytes_argument(info[1], "bytes");
  box.memory().write(address, bytes.data(), bytes.size());
  box.backend().code_rewritten(address, address + bytes.size());
  return env.Undefined();
}

Napi::Value SandboxObject::Dispose(const Napi::CallbackInfo& info) {
  if (pending_) {
    // Finish the call under way (it is cancelled), then free the engine.
    dispose_requested_ = true;
    measure_stop_ = true;
    sandbox_->cancel();
  } else {
    release();
  }
  return info.Env().Undefined();
}

}  // namespace microscope
