#include "cpu_profile_session.h"

#include "../core/profile/exact_profiler.h"
#include "../core/profile/profile_symbols.h"
#include "../core/profile/sampling_profiler.h"
#include "arguments.h"

namespace microscope {

namespace {

Napi::Object location_to_js(Napi::Env env, const ProfileLocation& location) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("address", double(location.address));
  object.Set("call", location.call);
  object.Set("symbol", location.symbol);
  Napi::Array frames = Napi::Array::New(env, location.frames.size());
  for (size_t i = 0; i < location.frames.size(); ++i) {
    const ProfileFrame& f = location.frames[i];
    Napi::Object frame = Napi::Object::New(env);
    frame.Set("function", f.function);
    frame.Set("file", f.file);
    frame.Set("line", f.line);
    frame.Set("inlined", f.inlined);
    frames.Set(uint32_t(i), frame);
  }
  object.Set("frames", frames);
  return object;
}

Napi::Object profile_to_js(Napi::Env env, const CpuProfile& profile, const NamedProfile& named) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("kind", profile.kind == CpuProfile::Kind::Exact ? "exact" : "sampled");
  object.Set("periodNs", double(profile.period_ns));
  object.Set("calls", double(profile.calls));
  object.Set("ticksOutside", double(profile.ticks_outside));
  object.Set("truncated", profile.truncated);
  Napi::Array locations = Napi::Array::New(env, named.locations.size());
  for (size_t i = 0; i < named.locations.size(); ++i)
    locations.Set(uint32_t(i), location_to_js(env, named.locations[i]));
  object.Set("locations", locations);
  Napi::Array stacks = Napi::Array::New(env, named.samples.size());
  Napi::Array counts = Napi::Array::New(env, named.samples.size());
  for (size_t i = 0; i < named.samples.size(); ++i) {
    const auto& sample = named.samples[i];
    Napi::Array stack = Napi::Array::New(env, sample.locations.size());
    for (size_t j = 0; j < sample.locations.size(); ++j) stack.Set(uint32_t(j), sample.locations[j]);
    stacks.Set(uint32_t(i), stack);
    counts.Set(uint32_t(i), double(sample.count));
  }
  object.Set("stacks", stacks);
  object.Set("counts", counts);
  return object;
}

}  // namespace

// Detaches the profiler, collects and names what it counted.
class CpuProfileSession::StopWork : public CallRunner::Work {
 public:
  StopWork(CallRunner& runner, std::unique_ptr<ProfileRecorder> profiler)
      : runner_(runner), profiler_(std::move(profiler)) {}

  void run(CallRunner& runner, bool) override {
    Sandbox& sandbox = *runner.made();
    sandbox.profile(nullptr);
    profile_ = profiler_->collect(sandbox.memory());
    profiler_.reset();  // a sampler's thread ends here
    named_ = name_profile(profile_, sandbox, runner.debugger().code().debug_info());
  }
  void settle(Napi::Env env, Napi::Promise::Deferred& deferred) override {
    deferred.Resolve(profile_to_js(env, profile_, named_));
    profile_ = CpuProfile{};
    named_ = NamedProfile{};
  }

 private:
  CallRunner& runner_;
  std::unique_ptr<ProfileRecorder> profiler_;
  CpuProfile profile_;
  NamedProfile named_;
};

CpuProfileSession::CpuProfileSession(CallRunner& runner) : runner_(runner) {}
CpuProfileSession::~CpuProfileSession() = default;

void CpuProfileSession::start(const Napi::CallbackInfo& info) {
  Sandbox& sandbox = runner_.idle();
  if (profiler_ || (stop_ && runner_.busy())) throw usage_error("a CPU profile is already being recorded");
  const std::string kind = info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  std::unique_ptr<ProfileRecorder> profiler;
  if (kind == "exact") {
    profiler = std::make_unique<ExactProfiler>();
  } else if (kind == "sampled") {
    profiler = std::make_unique<SamplingProfiler>(count_argument(info[1], "rateHz"));
  } else {
    throw usage_error("a CPU profile is exact or sampled (got '" + kind + "')");
  }
  runner_.run_now([&] { sandbox.profile(profiler.get()); });
  profiler_ = std::move(profiler);
}

Napi::Value CpuProfileSession::stop(Napi::Env env, Napi::Object owner) {
  runner_.idle();
  if (!profiler_) throw usage_error("no CPU profile is being recorded");
  stop_ = std::make_unique<StopWork>(runner_, std::move(profiler_));
  return runner_.start(env, owner, *stop_, false);
}

}  // namespace microscope
