#include "fault_handlers.h"

#include <cstring>
#include <vector>

#include "../../include/microscope/abi.h"
#include "layout.h"

namespace microscope {

namespace {

constexpr uint64_t kExceptionStubs = 0x10;   // 32 stubs of 16 bytes: vectors 0-31
constexpr uint64_t kInterruptStubs = 0x210;  // 224 stubs of 12 bytes: vectors 32-255 (`int n`)
constexpr uint64_t kCommon = 0xf00;

void put32(std::vector<uint8_t>& code, size_t at, uint32_t value) { std::memcpy(&code[at], &value, 4); }

// `jmp rel32` at `at` to `target`.
void jump(std::vector<uint8_t>& code, size_t at, uint64_t target) {
  code[at] = 0xe9;
  put32(code, at + 1, uint32_t(int32_t(target - (at + 5))));
}

}  // namespace

bool vector_has_error_code(unsigned vector) {
  switch (vector) {
    case 8:
    case 10:
    case 11:
    case 12:
    case 13:
    case 14:
    case 17:
    case 21:
    case 29:
    case 30: return true;
    default: return false;
  }
}

void write_fault_handlers(GuestMemory& memory) {
  std::vector<uint8_t> code(MS_PAGE_SIZE, 0xcc);  // anything else traps
  code[0] = 0xf4;                                 // the halt stub: every entry returns here

  uint64_t stub[256];
  for (unsigned vector = 0; vector < 256; ++vector) {
    size_t at = vector < 32 ? kExceptionStubs + vector * 16 : kInterruptStubs + (vector - 32) * 12;
    stub[vector] = MS_ENGINE_CODE_ADDRESS + at;
    if (!vector_has_error_code(vector)) code[at++] = 0x6a, code[at++] = 0;  // push 0: no error code
    code[at++] = 0x68;                                                      // push imm32: the vector
    put32(code, at, vector);
    at += 4;
    jump(code, at, kCommon);
  }
  const uint8_t common[] = {
      0x50,                          // push rax
      0x52,                          // push rdx
      0xba, 0x02, 0x6d, 0x00, 0x00,  // mov edx, MS_PORT_FAULT
      0xef,                          // out dx, eax
      0xf4,                          // hlt
      0xeb, 0xfd,                    // jmp back to the hlt
  };
  static_assert(MS_PORT_FAULT == 0x6d02, "the stub's port");
  std::memcpy(&code[kCommon], common, sizeof common);
  // `syscall` with no handler of the guest's: -ENOSYS back, RFLAGS as it was. RFLAGS comes
  // back through the stack, below the red zone the interrupted code may be using.
  const uint8_t no_syscall[] = {
      0x48, 0xc7, 0xc0, 0xda, 0xff, 0xff, 0xff,        // mov rax, -38
      0x48, 0x8d, 0x64, 0x24, 0x80,                    // lea rsp, [rsp - 128]
      0x41, 0x53,                                      // push r11
      0x9d,                                            // popfq
      0x48, 0x8d, 0xa4, 0x24, 0x80, 0x00, 0x00, 0x00,  // lea rsp, [rsp + 128]
      0xff, 0xe1,                                      // jmp rcx
  };
  std::memcpy(&code[MS_NO_SYSCALL_ADDRESS - MS_ENGINE_CODE_ADDRESS], no_syscall, sizeof no_syscall);
  memory.write(MS_ENGINE_CODE_ADDRESS, code.data(), code.size());

  // 64-bit interrupt gates, selector 0x08, IST 1 (the fault stack), DPL 0.
  uint8_t idt[256 * 16] = {};
  for (unsigned vector = 0; vector < 256; ++vector) {
    uint8_t* gate = idt + vector * 16;
    const uint64_t address = stub[vector];
    const uint16_t low = uint16_t(address), middle = uint16_t(address >> 16);
    const uint32_t high = uint32_t(address >> 32);
    std::memcpy(gate + 0, &low, 2);
    const uint16_t selector = kCodeSelector;
    std::memcpy(gate + 2, &selector, 2);
    gate[4] = 1;     // IST1
    gate[5] = 0x8e;  // present, DPL 0, 64-bit interrupt gate
    std::memcpy(gate + 6, &middle, 2);
    std::memcpy(gate + 8, &high, 4);
  }
  memory.write(MS_IDT_ADDRESS, idt, sizeof idt);
}

}  // namespace microscope
