// One set of argument checks for everything JS passes in, so every bad argument gets the
// same clear wording. Each throws a usage EngineError naming the argument.
#pragma once

#include <napi.h>

#include <vector>

#include "../core/sandbox.h"

namespace microscope {

std::vector<uint8_t> bytes_argument(const Napi::Value& value, const char* name);
Napi::Array array_argument(const Napi::Value& value, const char* name);
uint64_t count_argument(const Napi::Value& value, const char* name);  // a non-negative integer
uint64_t address_argument(const Napi::Value& value);                  // a number or a bigint
size_t function_argument(const Napi::Value& value, size_t function_count);

// { memorySize?, stackSize?, ioBufferSize?, backend?, timeoutMs?, outputLimit?, seed?, restore? }
SandboxOptions sandbox_options(const Napi::Value& value);
// { restore?, timeoutMs? }, each defaulting to the sandbox's
CallOptions call_options(const Napi::Value& value, const SandboxOptions& defaults);
// The arguments of `functions[function]`, converted by its signature.
void call_arguments(const std::vector<Signature>& functions, size_t function, const Napi::Value* values, size_t count,
                    std::vector<Value>* args);

}  // namespace microscope
