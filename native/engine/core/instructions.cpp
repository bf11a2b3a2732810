#include "instructions.h"

#include <capstone/capstone.h>

namespace microscope {

namespace {

// One Capstone handle per thread and mode: opening one costs more than decoding a block.
csh decoder(bool code64) {
  struct Handle {
    csh handle = 0;
    bool open = false;
    ~Handle() {
      if (open) cs_close(&handle);
    }
  };
  static thread_local Handle handles[2];
  Handle& h = handles[code64 ? 1 : 0];
  if (!h.open) h.open = cs_open(CS_ARCH_X86, code64 ? CS_MODE_64 : CS_MODE_32, &h.handle) == CS_ERR_OK;
  return h.open ? h.handle : 0;
}

}  // namespace

uint64_t find_port_instruction(const GuestMemory& memory, uint64_t begin, uint64_t end, int index, bool code64) {
  const uint8_t* code = end > begin ? memory.range(begin, end - begin) : nullptr;
  const csh handle = decoder(code64);
  if (!code || !handle || index < 1) return begin;
  cs_insn* insn = cs_malloc(handle);
  size_t size = end - begin;
  uint64_t address = begin;
  uint64_t found = begin;
  int seen = 0;
  while (cs_disasm_iter(handle, &code, &size, &address, insn)) {
    switch (insn->id) {
      case X86_INS_IN:
      case X86_INS_OUT:
        if (++seen == index) {
          found = insn->address;
          size = 0;
        }
        break;
      default: break;
    }
  }
  cs_free(insn, 1);
  return found;
}

uint64_t instruction_ending_at(const GuestMemory& memory, uint64_t from, uint64_t next) {
  const uint8_t* code = next > from ? memory.range(from, next - from) : nullptr;
  const csh handle = decoder(true);
  if (!code || !handle) return 0;
  cs_insn* insn = cs_malloc(handle);
  size_t size = next - from;
  uint64_t address = from;
  uint64_t found = 0;
  while (cs_disasm_iter(handle, &code, &size, &address, insn)) {
    if (address == next) found = insn->address;
  }
  cs_free(insn, 1);
  return found;
}

}  // namespace microscope
