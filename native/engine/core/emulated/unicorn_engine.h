// Opening a Unicorn engine for a sandbox, and a whole vCPU state saved from one.
#pragma once

#include <unicorn/unicorn.h>

#include "../backend.h"
#include "../control_policy.h"

namespace microscope {

// A new x86-64 engine; throws an EngineError saying why when it can't be had.
uc_engine* open_unicorn();

class UnicornCpuState : public CpuState {
 public:
  explicit UnicornCpuState(uc_engine* uc);
  ~UnicornCpuState() override;
  uc_context* context() const { return context_; }
  DebugRegisters debug;  // the guest's view of DR0-7, kept by the backend (privileged_hooks.h)

 private:
  uc_context* context_ = nullptr;
};

}  // namespace microscope
