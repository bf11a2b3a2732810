// The binary frames of the guest ABI (include/microscope/abi.h), as the host writes and
// reads them. Decoding trusts nothing: a hostile guest may write anything into the
// output buffer, and every length, offset, count, type and terminator is checked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "value.h"

namespace microscope {

// Returns the frame's size, or 0 with `error` set when it doesn't fit in `capacity`.
size_t encode_call(uint8_t* buffer, size_t capacity, uint64_t function_index, const std::vector<Value>& args,
                   std::string* error);
size_t encode_host_result(uint8_t* buffer, size_t capacity, const Value& result, std::string* error);

struct HostCallRequest {
  std::string name;
  std::vector<Value> args;
};

// Each returns an empty string on success, or what was wrong with the frame.
std::string decode_host_call(const uint8_t* buffer, size_t capacity, HostCallRequest* out);
std::string decode_result(const uint8_t* buffer, size_t capacity, Type expected, Value* out);
std::string decode_abort(const uint8_t* buffer, size_t capacity, int32_t* code, std::string* message);

// The encoded size of `args` in a frame, for messages and for sizing buffers.
size_t frame_size(const std::vector<Value>& args);

}  // namespace microscope
