// libFuzzer target: the frame decoders (core/frame.cpp) on any bytes a guest could leave
// in its output buffer. The first byte picks the decoder and, for results, the type
// expected; the rest is the buffer. Each must decode or say what is wrong.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../../../../native/engine/core/frame.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t selector = data[0];
  // A copy exactly as long as the input, so ASan sees any read past the buffer.
  const std::vector<uint8_t> buffer(data + 1, data + size);
  const uint8_t* bytes = buffer.empty() ? nullptr : buffer.data();
  switch (selector % 3) {
    case 0: {
      microscope::HostCallRequest request;
      (void)microscope::decode_host_call(bytes, buffer.size(), &request);
      break;
    }
    case 1: {
      microscope::Value value;
      // The type a result must have comes from the guest's own signature: any valid one.
      const microscope::Type types[] = {microscope::Type::Void, microscope::Type::I32, microscope::Type::U32,
                                        microscope::Type::I64,  microscope::Type::U64, microscope::Type::F64,
                                        microscope::Type::Bool, microscope::Type::Str, microscope::Type::Bytes};
      const microscope::Type type = types[(selector / 3) % 9];
      (void)microscope::decode_result(bytes, buffer.size(), type, &value);
      break;
    }
    case 2: {
      int32_t code = 0;
      std::string message;
      (void)microscope::decode_abort(bytes, buffer.size(), &code, &message);
      break;
    }
  }
  return 0;
}
