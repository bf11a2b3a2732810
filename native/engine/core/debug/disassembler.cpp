#include "disassembler.h"

#include <capstone/capstone.h>

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

}  // namespace microscope
