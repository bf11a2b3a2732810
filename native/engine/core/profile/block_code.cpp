#include "block_code.h"

namespace microscope {

std::vector<uint64_t> block_instructions(const GuestMemory& memory, const Disassembler& disassembler, uint64_t address,
                                         uint32_t size) {
  std::vector<uint64_t> addresses;
  const uint64_t end = size ? address + size : address + 1;
  uint64_t at = address;
  while (at < end && memory.contains(at, 1)) {
    uint8_t bytes[15] = {};
    size_t length = 0;
    while (length < sizeof bytes && memory.contains(at + length, 1)) ++length;
    memory.read(at, bytes, length);
    const Instruction instruction = disassembler.decode(bytes, length, at);
    addresses.push_back(at);
    if (!instruction.size) break;
    at += instruction.size;
  }
  return addresses;
}

}  // namespace microscope
