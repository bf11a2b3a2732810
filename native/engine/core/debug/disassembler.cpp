#include "disassembler.h"

#include <capstone/capstone.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "../errors.h"

namespace microscope {

Disassembler::Disassembler() {
  csh handle;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) {
    throw EngineError(ErrorKind::Internal, "Capstone can't open an x86-64 disassembler");
  }
  cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON);  // groups and operands: calls, returns, targets
  handle_ = handle;
}

Disassembler::~Disassembler() {
  csh handle = handle_;
  cs_close(&handle);
}

Instruction Disassembler::decode(const uint8_t* code, size_t length, uint64_t address) const {
  Instruction instruction;
  instruction.address = address;
  cs_insn* decoded = nullptr;
  if (cs_disasm(handle_, code, length, address, 1, &decoded) != 1) return instruction;
  instruction.size = uint8_t(decoded->size);
  instruction.bytes.assign(decoded->bytes, decoded->bytes + decoded->size);
  instruction.mnemonic = decoded->mnemonic;
  instruction.operands = decoded->op_str;
  const cs_detail* detail = decoded->detail;
  for (uint8_t i = 0; i < detail->groups_count; ++i) {
    switch (detail->groups[i]) {
      case CS_GRP_CALL: instruction.is_call = true; break;
      case CS_GRP_RET: instruction.is_return = true; break;
      case CS_GRP_JUMP: instruction.is_jump = true; break;
      default: break;
    }
  }
  if ((instruction.is_call || instruction.is_jump) && detail->x86.op_count == 1 &&
      detail->x86.operands[0].type == X86_OP_IMM) {
    instruction.has_target = true;
    instruction.target = uint64_t(detail->x86.operands[0].imm);
  }
  cs_free(decoded, 1);
  return instruction;
}

namespace {

// A Capstone register's DWARF number (its whole register's), or -1.
int dwarf_register(const char* name) {
  static const char* const names[16][4] = {
      {"rax", "eax", "ax", "al"},      {"rdx", "edx", "dx", "dl"},      {"rcx", "ecx", "cx", "cl"},
      {"rbx", "ebx", "bx", "bl"},      {"rsi", "esi", "si", "sil"},     {"rdi", "edi", "di", "dil"},
      {"rbp", "ebp", "bp", "bpl"},     {"rsp", "esp", "sp", "spl"},     {"r8", "r8d", "r8w", "r8b"},
      {"r9", "r9d", "r9w", "r9b"},     {"r10", "r10d", "r10w", "r10b"}, {"r11", "r11d", "r11w", "r11b"},
      {"r12", "r12d", "r12w", "r12b"}, {"r13", "r13d", "r13w", "r13b"}, {"r14", "r14d", "r14w", "r14b"},
      {"r15", "r15d", "r15w", "r15b"}};
  for (int reg = 0; reg < 16; ++reg) {
    for (const char* each : names[reg]) {
      if (std::strcmp(each, name) == 0) return reg;
    }
  }
  if (!std::strcmp(name, "ah")) return 0;
  if (!std::strcmp(name, "dh")) return 1;
  if (!std::strcmp(name, "ch")) return 2;
  if (!std::strcmp(name, "bh")) return 3;
  if (!std::strcmp(name, "rip") || !std::strcmp(name, "eip")) return 16;
  if (!std::strcmp(name, "rflags") || !std::strcmp(name, "eflags") || !std::strcmp(name, "flags")) return 49;
  if (!std::strncmp(name, "xmm", 3) || !std::strncmp(name, "ymm", 3)) {
    const int number = std::atoi(name + 3);
    if (number >= 0 && number < 16) return 17 + number;
  }
  return -1;
}

}  // namespace

std::vector<int> Disassembler::written_registers(const uint8_t* code, size_t length, uint64_t address) const {
  std::vector<int> written;
  cs_insn* decoded = nullptr;
  if (cs_disasm(handle_, code, length, address, 1, &decoded) != 1) return written;
  cs_regs read, write;
  uint8_t read_count = 0, write_count = 0;
  if (cs_regs_access(handle_, decoded, read, &read_count, write, &write_count) == CS_ERR_OK) {
    for (uint8_t i = 0; i < write_count; ++i) {
      const int reg = dwarf_register(cs_reg_name(handle_, write[i]));
      if (reg >= 0 && std::find(written.begin(), written.end(), reg) == written.end()) written.push_back(reg);
    }
  }
  cs_free(decoded, 1);
  return written;
}

}  // namespace microscope
