// The floors of the benchmark's JS cases (native/node/bench/main.ts): the least a JS call into
// the engine and a guest's call out to a JS host function cost through the same Node-API
// mechanisms, with no guest and no engine. Measured beside the engine in the same run.
#include "bench_floors.h"

#include "../core/value.h"
#include "js_values.h"

namespace microscope {

namespace {

// resolved(a: bigint, b: bigint): Promise<bigint>, resolved at once with a + b: what
// `await sandbox.call('add', a, b)` costs without the sandbox (arguments read, a promise
// made and resolved, its value converted).
Napi::Value Resolved(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool lossless = false;
  const uint64_t a = info[0].As<Napi::BigInt>().Uint64Value(&lossless);
  const uint64_t b = info[1].As<Napi::BigInt>().Uint64Value(&lossless);
  Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
  deferred.Resolve(to_js(env, Value::of_u64(a + b)));
  return deferred.Promise();
}

// callback(fn: (i: number) => bigint, count: number): bigint, calling fn `count` times as
// a host call does (the argument made a JS value, the call, the result read back).
Napi::Value Callback(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Function fn = info[0].As<Napi::Function>();
  const uint32_t count = info[1].As<Napi::Number>().Uint32Value();
  uint64_t sum = 0;
  for (uint32_t i = 0; i < count; ++i) {
    Napi::HandleScope scope(env);
    Napi::Value result = fn.Call(env.Undefined(), {to_js(env, Value::of_u32(i))});
    Value value;
    std::string error;
    if (!to_engine_value(result, Type::U64, &value, &error)) throw Napi::TypeError::New(env, error);
    sum += value.u64;
  }
  return Napi::BigInt::New(env, sum);
}

}  // namespace

Napi::Object bench_floors(Napi::Env env) {
  Napi::Object floors = Napi::Object::New(env);
  floors.Set("resolved", Napi::Function::New(env, Resolved, "resolved"));
  floors.Set("callback", Napi::Function::New(env, Callback, "callback"));
  return floors;
}

}  // namespace microscope
