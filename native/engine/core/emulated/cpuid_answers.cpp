#include "cpuid_answers.h"

#include "unicorn_registers.h"

namespace microscope {

CpuidAnswers::CpuidAnswers(uc_engine* uc) : uc_(uc) {
  uc_hook hook;
  unicorn_check(uc_hook_add(uc_, &hook, UC_HOOK_INSN, reinterpret_cast<void*>(&on_cpuid), this, 1, 0, UC_X86_INS_CPUID),
                "hook CPUID");
}

int CpuidAnswers::on_cpuid(uc_engine* uc, void* user) {
  auto* self = static_cast<CpuidAnswers*>(user);
  if (!self->active_) return 0;  // the emulator answers
  uint64_t leaf = 0, subleaf = 0, cr4 = 0;
  uc_reg_read(uc, UC_X86_REG_RAX, &leaf);
  uc_reg_read(uc, UC_X86_REG_RCX, &subleaf);
  uc_reg_read(uc, UC_X86_REG_CR4, &cr4);
  CpuidEntry answer{uint32_t(leaf), uint32_t(subleaf), false, 0, 0, 0, 0};
  for (const CpuidEntry& entry : self->table_) {
    if (entry.function == uint32_t(leaf) && (!entry.indexed || entry.index == uint32_t(subleaf))) {
      answer = entry;
      break;
    }
  }
  if (answer.function == 1) {
    answer.ecx = (answer.ecx & ~(1u << 27)) | (((cr4 >> 18) & 1) << 27);  // OSXSAVE: CR4.OSXSAVE
  } else if (answer.function == 7 && uint32_t(subleaf) == 0) {
    answer.ecx = (answer.ecx & ~(1u << 4)) | (((cr4 >> 22) & 1) << 4);  // OSPKE: CR4.PKE
  }
  const uint64_t values[4] = {answer.eax, answer.ebx, answer.ecx, answer.edx};
  static const int kIds[4] = {UC_X86_REG_RAX, UC_X86_REG_RBX, UC_X86_REG_RCX, UC_X86_REG_RDX};
  for (int i = 0; i < 4; ++i) uc_reg_write(uc, kIds[i], &values[i]);
  return 1;  // answered: the instruction doesn't run
}

}  // namespace microscope
