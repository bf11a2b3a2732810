// Conversions between JS values and the engine's: arguments and results, outcomes and
// the typed errors the TypeScript layer defines (native/node/api/errors.ts).
#pragma once

#include <napi.h>

#include <string>
#include <vector>

#include "../core/errors.h"
#include "../core/outcome.h"
#include "../core/value.h"

namespace microscope {

// Converts `value` to `type`, or returns false with `error` saying what was wrong
// ("must be an i64: a bigint or an integer number, got a string").
bool to_engine_value(const Napi::Value& value, Type type, Value* out, std::string* error);
Napi::Value to_js(Napi::Env env, const Value& value);

// The error objects JS sees. The TypeScript layer registers a factory that turns a plain
// description ({ kind, message, ... }) into an instance of its error classes.
class ErrorFactory {
 public:
  void set(Napi::Function factory) { factory_ = Napi::Persistent(factory); }
  Napi::Value make(Napi::Object description) const;
  Napi::Value from_engine_error(Napi::Env env, const EngineError& error) const;
  Napi::Value from_outcome(Napi::Env env, const CallOutcome& outcome, const char* backend) const;

 private:
  Napi::FunctionReference factory_;
};

Napi::Object timings_to_js(Napi::Env env, const CallTimings& timings);
// { value, type, output, outputTruncated, backend, timings }
Napi::Object report_to_js(Napi::Env env, const CallOutcome& outcome, Type type, const char* backend);

// [{ name, params: [{ name, type }], returns }]
Napi::Array functions_to_js(Napi::Env env, const std::vector<Signature>& functions);

struct Measurement;
// { iterations, totalNs, restoreNs, runNs, hostNs, createNs } with a Float64Array each
Napi::Object measurement_to_js(Napi::Env env, const Measurement& measurement);

}  // namespace microscope
