#include "js_values.h"

#include <cmath>
#include <cstring>

#include "../core/measure.h"

namespace microscope {

namespace {

const char* js_type_of(const Napi::Value& value) {
  switch (value.Type()) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "a boolean";
    case napi_number: return "a number";
    case napi_string: return "a string";
    case napi_symbol: return "a symbol";
    case napi_object: return value.IsTypedArray() ? "a typed array" : value.IsArray() ? "an array" : "an object";
    case napi_function: return "a function";
    case napi_external: return "an external";
    case napi_bigint: return "a bigint";
  }
  return "a value";
}

// An integer argument within [min, max], from a JS number or bigint.
bool to_integer(const Napi::Value& value, Type type, int64_t min, uint64_t max, Value* out, std::string* error) {
  const std::string expected = std::string("must be ") + (type == Type::I64 || type == Type::U64 ? "an " : "a ") +
                               type_name(type) + ": an integer number or a bigint";
  if (value.IsNumber()) {
    const double number = value.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(number) || std::trunc(number) != number) {
      *error = expected + ", got " + std::to_string(number);
      return false;
    }
    if (std::fabs(number) > 9007199254740991.0) {
      *error = expected + ", got a number beyond 2^53 that has lost precision: pass a bigint";
      return false;
    }
    if (number < double(min) || number > double(max)) {
      *error = std::string("is out of range for ") + type_name(type) + ": " + std::to_string(int64_t(number));
      return false;
    }
    out->type = type;
    if (number < 0)
      out->i64 = int64_t(number);
    else
      out->u64 = uint64_t(number);
    return true;
  }
  if (value.IsBigInt()) {
    bool lossless = false;
    const Napi::BigInt big = value.As<Napi::BigInt>();
    if (min < 0) {
      const int64_t v = big.Int64Value(&lossless);
      if (!lossless || v < min || (v > 0 && uint64_t(v) > max)) {
        *error = std::string("is out of range for ") + type_name(type) + ": " + big.ToString().Utf8Value();
        return false;
      }
      out->type = type;
      out->i64 = v;
      return true;
    }
    const uint64_t v = big.Uint64Value(&lossless);
    if (!lossless || v > max) {
      *error = std::string("is out of range for ") + type_name(type) + ": " + big.ToString().Utf8Value();
      return false;
    }
    out->type = type;
    out->u64 = v;
    return true;
  }
  *error = expected + ", got " + js_type_of(value);
  return false;
}

}  // namespace

bool to_engine_value(const Napi::Value& value, Type type, Value* out, std::string* error) {
  switch (type) {
    case Type::I32: return to_integer(value, type, INT32_MIN, INT32_MAX, out, error);
    case Type::U32: return to_integer(value, type, 0, UINT32_MAX, out, error);
    case Type::I64: return to_integer(value, type, INT64_MIN, INT64_MAX, out, error);
    case Type::U64: return to_integer(value, type, 0, UINT64_MAX, out, error);
    case Type::F64:
      if (!value.IsNumber()) {
        *error = std::string("must be an f64: a number, got ") + js_type_of(value);
        return false;
      }
      *out = Value::of_f64(value.As<Napi::Number>().DoubleValue());
      return true;
    case Type::Bool:
      if (!value.IsBoolean()) {
        *error = std::string("must be a bool: true or false, got ") + js_type_of(value);
        return false;
      }
      *out = Value::of_bool(value.As<Napi::Boolean>().Value());
      return true;
    case Type::Str:
      if (!value.IsString()) {
        *error = std::string("must be a str: a string, got ") + js_type_of(value);
        return false;
      }
      *out = Value::of_str(value.As<Napi::String>().Utf8Value());
      return true;
    case Type::Bytes: {
      if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
        *error = std::string("must be bytes: a Uint8Array or Buffer, got ") + js_type_of(value);
        return false;
      }
      const Napi::Uint8Array array = value.As<Napi::Uint8Array>();
      *out = Value::of_bytes(std::string(reinterpret_cast<const char*>(array.Data()), array.ByteLength()));
      return true;
    }
    case Type::Void: *out = Value(); return true;
  }
  *error = "has an unknown type";
  return false;
}

Napi::Value to_js(Napi::Env env, const Value& value) {
  switch (value.type) {
    case Type::Void: return env.Undefined();
    case Type::I32: return Napi::Number::New(env, double(int32_t(value.i64)));
    case Type::U32: return Napi::Number::New(env, double(uint32_t(value.u64)));
    case Type::I64: return Napi::BigInt::New(env, value.i64);
    case Type::U64: return Napi::BigInt::New(env, value.u64);
    case Type::F64: return Napi::Number::New(env, value.f64);
    case Type::Bool: return Napi::Boolean::New(env, value.u64 != 0);
    case Type::Str: return Napi::String::New(env, value.data);
    case Type::Bytes: {
      Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, value.data.size());
      if (!value.data.empty()) std::memcpy(buffer.Data(), value.data.data(), value.data.size());
      return Napi::Uint8Array::New(env, value.data.size(), buffer, 0);
    }
  }
  return env.Undefined();
}

Napi::Value ErrorFactory::make(Napi::Object description) const {
  Napi::Env env = description.Env();
  if (factory_.IsEmpty()) {
    Napi::Error error = Napi::Error::New(env, description.Get("message").ToString().Utf8Value());
    error.Value().Set("kind", description.Get("kind"));
    return error.Value();
  }
  return factory_.Call({description});
}

Napi::Value ErrorFactory::from_engine_error(Napi::Env env, const EngineError& error) const {
  Napi::Object description = Napi::Object::New(env);
  description.Set("kind", error_kind_name(error.kind()));
  description.Set("message", error.what());
  return make(description);
}

Napi::Object timings_to_js(Napi::Env env, const CallTimings& timings) {
  Napi::Object object = Napi::Object::New(env);
  if (timings.create_ns) object.Set("createNs", double(timings.create_ns));
  object.Set("restoreNs", double(timings.restore_ns));
  object.Set("restoredPages", double(timings.restored_pages));
  object.Set("runNs", double(timings.run_ns));
  object.Set("hostNs", double(timings.host_ns));
  object.Set("totalNs", double(timings.total_ns));
  return object;
}

Napi::Value ErrorFactory::from_outcome(Napi::Env env, const CallOutcome& outcome, const char* backend) const {
  Napi::Object d = Napi::Object::New(env);
  d.Set("kind", outcome_kind_name(outcome.kind));
  d.Set("message", outcome.message);
  d.Set("output", outcome.output);
  d.Set("outputTruncated", outcome.output_truncated);
  d.Set("backend", backend);
  d.Set("timings", timings_to_js(env, outcome.timings));
  switch (outcome.kind) {
    case OutcomeKind::Aborted: d.Set("code", outcome.abort_code); break;
    case OutcomeKind::Faulted: {
      const Fault& fault = outcome.fault;
      d.Set("vector", vector_name(fault.vector));
      if (fault.vector < 256) d.Set("vectorNumber", fault.vector);
      d.Set("rip", Napi::BigInt::New(env, fault.rip));
      d.Set("symbol", outcome.fault_symbol);
      if (fault.has_cr2) d.Set("cr2", Napi::BigInt::New(env, fault.cr2));
      if (fault.has_error_code) d.Set("errorCode", fault.error_code);
      if (!fault.detail.empty()) d.Set("detail", fault.detail);
      break;
    }
    case OutcomeKind::Cancelled:
      d.Set("reason", outcome.cancel_reason == CancelReason::Timeout ? "timeout" : "cancel");
      break;
    case OutcomeKind::HostError: d.Set("hostFunction", outcome.host_function); break;
    case OutcomeKind::Returned: break;
  }
  return make(d);
}

Napi::Object report_to_js(Napi::Env env, const CallOutcome& outcome, Type type, const char* backend) {
  Napi::Object report = Napi::Object::New(env);
  report.Set("value", to_js(env, outcome.value));
  report.Set("type", type_name(type));
  report.Set("output", outcome.output);
  report.Set("outputTruncated", outcome.output_truncated);
  report.Set("backend", backend);
  report.Set("timings", timings_to_js(env, outcome.timings));
  return report;
}

Napi::Array functions_to_js(Napi::Env env, const std::vector<Signature>& functions) {
  Napi::Array list = Napi::Array::New(env, functions.size());
  for (size_t i = 0; i < functions.size(); ++i) {
    const Signature& signature = functions[i];
    Napi::Object function = Napi::Object::New(env);
    function.Set("name", signature.name);
    Napi::Array params = Napi::Array::New(env, signature.params.size());
    for (size_t p = 0; p < signature.params.size(); ++p) {
      Napi::Object param = Napi::Object::New(env);
      param.Set("name", p < signature.param_names.size() ? signature.param_names[p] : "");
      param.Set("type", type_name(signature.params[p]));
      params.Set(uint32_t(p), param);
    }
    function.Set("params", params);
    function.Set("returns", type_name(signature.returns));
    list.Set(uint32_t(i), function);
  }
  return list;
}

Napi::Object measurement_to_js(Napi::Env env, const Measurement& measurement) {
  const size_t count = measurement.iterations.size();
  auto column = [&](int64_t CallTimings::*field) {
    Napi::Float64Array array = Napi::Float64Array::New(env, count);
    for (size_t i = 0; i < count; ++i) array[i] = double(measurement.iterations[i].*field);
    return array;
  };
  Napi::Object result = Napi::Object::New(env);
  result.Set("iterations", double(count));
  result.Set("totalNs", column(&CallTimings::total_ns));
  result.Set("createNs", column(&CallTimings::create_ns));
  result.Set("restoreNs", column(&CallTimings::restore_ns));
  result.Set("runNs", column(&CallTimings::run_ns));
  result.Set("hostNs", column(&CallTimings::host_ns));
  return result;
}

}  // namespace microscope
