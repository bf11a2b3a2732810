// The Node-API module: the NativeSandbox and NativeDebugger classes, inspect() to read a guest's functions
// without running it, the hook through which the TypeScript layer supplies its error
// classes, and the floors of the benchmark's JS cases. native/node/api/addon.ts declares the same surface in
// TypeScript.
#include <napi.h>

#include "../core/elf_image.h"
#include "addon_state.h"
#include "arguments.h"
#include "bench_floors.h"
#include "debugger_object.h"
#include "sandbox_object.h"

namespace microscope {

namespace {

// inspect(elf: Uint8Array): { functions, entry, positionIndependent }
Napi::Value Inspect(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonState* state = env.GetInstanceData<AddonState>();
  try {
    const ElfImage image = ElfImage::parse(bytes_argument(info[0], "guest"));
    Napi::Object result = Napi::Object::New(env);
    result.Set("functions", functions_to_js(env, image.exports()));
    result.Set("entry", double(image.entry()));
    result.Set("positionIndependent", image.position_independent());
    return result;
  } catch (const EngineError& error) {
    throw Napi::Error(env, state->errors.from_engine_error(env, error));
  }
}

// setErrorFactory(factory: (description) => Error)
Napi::Value SetErrorFactory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsFunction()) throw Napi::TypeError::New(env, "setErrorFactory needs a function");
  env.GetInstanceData<AddonState>()->errors.set(info[0].As<Napi::Function>());
  return env.Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* state = new AddonState();
  env.SetInstanceData<AddonState>(state);
  // Threads still running guests at teardown must be stopped and joined first.
  env.AddCleanupHook([state] {
    std::vector<SandboxObject*> live(state->sandboxes.begin(), state->sandboxes.end());
    for (SandboxObject* sandbox : live) sandbox->shut_down();
  });
  Napi::Function sandbox_class = SandboxObject::Define(env);
  state->sandbox_class = Napi::Persistent(sandbox_class);
  exports.Set("NativeSandbox", sandbox_class);
  exports.Set("NativeDebugger", DebuggerObject::Define(env));
  exports.Set("inspect", Napi::Function::New(env, Inspect, "inspect"));
  exports.Set("setErrorFactory", Napi::Function::New(env, SetErrorFactory, "setErrorFactory"));
  exports.Set("abiVersion", Napi::Number::New(env, MS_ABI_VERSION));
  exports.Set("benchFloors", bench_floors(env));
  return exports;
}

}  // namespace

}  // namespace microscope

static Napi::Object InitMicroscope(Napi::Env env, Napi::Object exports) { return microscope::Init(env, exports); }

NODE_API_MODULE(microscope, InitMicroscope)
