#include "coverage_work.h"

#include "../core/profile/coverage.h"
#include "addon_state.h"
#include "arguments.h"
#include "sandbox_object.h"

namespace microscope {

class CoverageWork : public CallRunner::Work {
 public:
  explicit CoverageWork(CallRunner& runner) : runner_(runner) {}
  size_t function = 0;
  std::vector<std::vector<microscope::Value>> calls;

  void run(CallRunner& runner, bool) override {
    Sandbox& sandbox = *runner.made();
    failures_.clear();
    CoverageRecorder recorder(sandbox, runner.debugger().code().debug_info());
    for (size_t i = 0; i < calls.size() && !runner.cancel_requested(); ++i) {
      CallOutcome outcome = recorder.call(function, calls[i]);
      if (outcome.kind != OutcomeKind::Returned && failures_.size() < kMaxFailures)
        failures_.emplace_back(i, std::move(outcome));
    }
    coverage_ = recorder.result();
  }

  void settle(Napi::Env env, Napi::Promise::Deferred& deferred) override {
    Napi::Object object = Napi::Object::New(env);
    object.Set("exact", coverage_.exact);
    object.Set("calls", double(coverage_.calls));
    Napi::Array files = Napi::Array::New(env, coverage_.files.size());
    for (size_t f = 0; f < coverage_.files.size(); ++f) {
      const CoverageFile& file = coverage_.files[f];
      Napi::Object o = Napi::Object::New(env);
      o.Set("path", file.path);
      Napi::Array lines = Napi::Array::New(env, file.lines.size());
      for (size_t i = 0; i < file.lines.size(); ++i) {
        Napi::Array pair = Napi::Array::New(env, 2);
        pair.Set(0u, file.lines[i].line);
        pair.Set(1u, double(file.lines[i].count));
        lines.Set(uint32_t(i), pair);
      }
      o.Set("lines", lines);
      Napi::Array functions = Napi::Array::New(env, file.functions.size());
      for (size_t i = 0; i < file.functions.size(); ++i) {
        Napi::Object fn = Napi::Object::New(env);
        fn.Set("name", file.functions[i].name);
        fn.Set("line", file.functions[i].line);
        fn.Set("count", double(file.functions[i].count));
        functions.Set(uint32_t(i), fn);
      }
      o.Set("functions", functions);
      files.Set(uint32_t(f), o);
    }
    object.Set("files", files);
    Napi::Array instructions = Napi::Array::New(env, coverage_.instructions.size());
    uint32_t i = 0;
    for (const auto& [address, count] : coverage_.instructions) {
      Napi::Array pair = Napi::Array::New(env, 2);
      pair.Set(0u, double(address));
      pair.Set(1u, double(count));
      instructions.Set(i++, pair);
    }
    object.Set("instructions", instructions);
    Napi::Array failures = Napi::Array::New(env, failures_.size());
    const char* backend = runner_.made()->backend_name();
    for (size_t f = 0; f < failures_.size(); ++f) {
      Napi::Object failure = Napi::Object::New(env);
      failure.Set("call", double(failures_[f].first));
      failure.Set("error", runner_.state().errors.from_outcome(env, failures_[f].second, backend));
      failures.Set(uint32_t(f), failure);
    }
    object.Set("failures", failures);
    coverage_ = Coverage{};
    failures_.clear();
    deferred.Resolve(object);
  }

 private:
  static constexpr size_t kMaxFailures = 100;
  CallRunner& runner_;
  Coverage coverage_;
  std::vector<std::pair<size_t, CallOutcome>> failures_;
};

CoverageWorkHolder::CoverageWorkHolder() = default;
CoverageWorkHolder::~CoverageWorkHolder() = default;

Napi::Value start_coverage(SandboxObject& self, CoverageWorkHolder& holder, const Napi::CallbackInfo& info) {
  CallRunner& runner = self.runner();
  runner.idle();
  if (!holder.work) holder.work = std::make_unique<CoverageWork>(runner);
  CoverageWork& work = *holder.work;
  work.function = function_argument(info[0], runner.image().exports().size());
  const Napi::Array calls = array_argument(info[1], "calls");
  if (calls.Length() == 0) throw usage_error("coverage needs at least one call");
  work.calls.assign(calls.Length(), {});
  std::vector<Napi::Value> scratch;
  for (uint32_t i = 0; i < calls.Length(); ++i) {
    const Napi::Value one = calls.Get(i);
    if (!one.IsArray()) throw usage_error("calls[" + std::to_string(i) + "] must be an array of arguments");
    arguments_from(runner.image(), work.function, one.As<Napi::Array>(), &scratch, &work.calls[i]);
  }
  return runner.start(info.Env(), self.Value(), work, false);
}

}  // namespace microscope
