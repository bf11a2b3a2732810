#include "arguments.h"

#include <cmath>

#include "js_values.h"

namespace microscope {

namespace {

double number_option(const Napi::Object& options, const char* name, double fallback, double max) {
  Napi::Value value = options.Get(name);
  if (value.IsUndefined()) return fallback;
  if (!value.IsNumber()) throw usage_error(std::string("option ") + name + " must be a number");
  const double number = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(number) || number < 0 || number > max || std::trunc(number) != number) {
    throw usage_error(std::string("option ") + name + " must be a whole number from 0 to " +
                      std::to_string(uint64_t(max)));
  }
  return number;
}

}  // namespace

std::vector<uint8_t> bytes_argument(const Napi::Value& value, const char* name) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw usage_error(std::string(name) + " must be a Uint8Array or Buffer");
  }
  const Napi::Uint8Array array = value.As<Napi::Uint8Array>();
  return std::vector<uint8_t>(array.Data(), array.Data() + array.ByteLength());
}

Napi::Array array_argument(const Napi::Value& value, const char* name) {
  if (!value.IsArray()) throw usage_error(std::string(name) + " must be an array");
  return value.As<Napi::Array>();
}

uint64_t count_argument(const Napi::Value& value, const char* name) {
  if (!value.IsNumber()) throw usage_error(std::string(name) + " must be a number");
  const double number = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(number) || number < 0 || std::trunc(number) != number || number > 9007199254740991.0) {
    throw usage_error(std::string(name) + " must be a whole number of 0 or more");
  }
  return uint64_t(number);
}

uint64_t address_argument(const Napi::Value& value) {
  if (value.IsBigInt()) {
    bool lossless = false;
    const uint64_t address = value.As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless) throw usage_error("address must be a bigint from 0 to 2^64 - 1");
    return address;
  }
  return count_argument(value, "address");
}

size_t function_argument(const Napi::Value& value, size_t function_count) {
  const uint64_t index = count_argument(value, "function");
  if (index >= function_count) throw usage_error("no function number " + std::to_string(index));
  return size_t(index);
}

SandboxOptions sandbox_options(const Napi::Value& value) {
  SandboxOptions options;
  if (value.IsUndefined()) return options;
  if (!value.IsObject()) throw usage_error("options must be an object");
  const Napi::Object object = value.As<Napi::Object>();
  options.layout.memory_size = uint64_t(number_option(object, "memorySize", double(options.layout.memory_size), 1e12));
  options.layout.stack_size = uint64_t(number_option(object, "stackSize", double(options.layout.stack_size), 1e12));
  options.layout.io_buffer_size =
      uint64_t(number_option(object, "ioBufferSize", double(options.layout.io_buffer_size), 1e12));
  options.timeout_ns = int64_t(number_option(object, "timeoutMs", 0, 1e9) * 1e6);
  options.output_limit = size_t(number_option(object, "outputLimit", double(options.output_limit), 1e12));
  Napi::Value backend = object.Get("backend");
  if (!backend.IsUndefined()) {
    if (!backend.IsString()) throw usage_error("option backend must be auto, emulated or kvm");
    options.backend = backend.As<Napi::String>().Utf8Value();
  }
  Napi::Value restore = object.Get("restore");
  if (!restore.IsUndefined()) {
    if (!restore.IsBoolean()) throw usage_error("option restore must be true or false");
    options.restore = restore.As<Napi::Boolean>().Value();
  }
  Napi::Value seed = object.Get("seed");
  if (!seed.IsUndefined()) options.seed = address_argument(seed);
  return options;
}

CallOptions call_options(const Napi::Value& value, const SandboxOptions& defaults) {
  CallOptions options;
  options.restore = defaults.restore;
  if (value.IsUndefined()) return options;
  if (!value.IsObject()) throw usage_error("call options must be an object");
  const Napi::Object object = value.As<Napi::Object>();
  Napi::Value restore = object.Get("restore");
  if (!restore.IsUndefined()) {
    if (!restore.IsBoolean()) throw usage_error("option restore must be true or false");
    options.restore = restore.As<Napi::Boolean>().Value();
  }
  if (!object.Get("timeoutMs").IsUndefined()) {
    options.timeout_ns = int64_t(number_option(object, "timeoutMs", 0, 1e9) * 1e6);
  }
  return options;
}

void call_arguments(const std::vector<Signature>& functions, size_t function, const Napi::Value* values, size_t count,
                    std::vector<Value>* args) {
  const Signature& signature = functions[function];
  if (count != signature.params.size()) {
    throw usage_error(signature.name + " takes " + std::to_string(signature.params.size()) + " argument" +
                      (signature.params.size() == 1 ? "" : "s") + " (" + describe(signature) + "), got " +
                      std::to_string(count));
  }
  args->resize(count);
  std::string error;
  for (size_t i = 0; i < count; ++i) {
    if (!to_engine_value(values[i], signature.params[i], &(*args)[i], &error)) {
      std::string name = i < signature.param_names.size() ? " (" + signature.param_names[i] + ")" : "";
      throw usage_error(signature.name + ": argument " + std::to_string(i + 1) + name + " " + error);
    }
  }
}

}  // namespace microscope
