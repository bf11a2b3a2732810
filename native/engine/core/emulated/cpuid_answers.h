// CPUID as another backend answers it: the emulated twin that replays a call recorded on
// KVM (../emulated_twin.h) must give the guest KVM's answers, not QEMU's CPU model's. A
// hook on every CPUID answers from KVM's table, as KVM does: the entry for the leaf (and
// subleaf, where it matters), with the bits KVM sets from the vCPU's state at run time
// (OSXSAVE and OSPKE from CR4), and zeros for a leaf the table lacks.
#pragma once

#include <unicorn/unicorn.h>

#include <vector>

#include "../backend.h"

namespace microscope {

class CpuidAnswers {
 public:
  explicit CpuidAnswers(uc_engine* uc);
  CpuidAnswers(const CpuidAnswers&) = delete;
  CpuidAnswers& operator=(const CpuidAnswers&) = delete;

  // Null: the emulator's own answers again.
  void answer_from(const std::vector<CpuidEntry>* table) {
    table_ = table ? *table : std::vector<CpuidEntry>{};
    active_ = table != nullptr;
  }

 private:
  static int on_cpuid(uc_engine* uc, void* user);

  uc_engine* uc_;
  std::vector<CpuidEntry> table_;
  bool active_ = false;
};

}  // namespace microscope
