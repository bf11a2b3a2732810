// x86-64 instructions decoded by Capstone (Debian's libcapstone), Intel syntax: what the
// debugger steps over, and what the inspector shows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace microscope {

struct Instruction {
  uint64_t address = 0;
  uint8_t size = 0;  // 0: these bytes are no instruction
  std::vector<uint8_t> bytes;
  std::string mnemonic, operands;  // "call", "0x1040"
  bool is_call = false, is_return = false, is_jump = false;
  bool has_target = false;  // a direct call or jump: where it goes
  uint64_t target = 0;
};

class Disassembler {
 public:
  Disassembler();
  ~Disassembler();
  Disassembler(const Disassembler&) = delete;
  Disassembler& operator=(const Disassembler&) = delete;

  // The instruction at the start of `code` (up to `length` bytes), as if at `address`.
  Instruction decode(const uint8_t* code, size_t length, uint64_t address) const;
  // The registers it writes, explicitly or not (a push's RSP, a `mul`'s RDX, the flags),
  // as DWARF numbers (FrameState's: 0-16 the general registers and RIP, 17-32 XMM0-15,
  // 49 RFLAGS): a part written (EAX, AL) is its whole register.
  std::vector<int> written_registers(const uint8_t* code, size_t length, uint64_t address) const;

 private:
  size_t handle_ = 0;  // Capstone's csh
};

}  // namespace microscope
