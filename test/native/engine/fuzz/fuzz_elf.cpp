// libFuzzer target: the ELF loader (core/elf_image.cpp, core/elf_exports.cpp) on any bytes.
// Every input must parse or be refused with an EngineError; ASan and UBSan watch the rest.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "../../../../native/engine/core/elf_image.h"
#include "../../../../native/engine/core/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const microscope::ElfImage image = microscope::ElfImage::parse(std::vector<uint8_t>(data, data + size));
    (void)image.exports();
  } catch (const microscope::EngineError&) {
    // Refused with a reason: what a malformed ELF must get.
  }
  return 0;
}
