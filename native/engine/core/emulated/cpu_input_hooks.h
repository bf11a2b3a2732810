// The instructions whose results come from outside the guest on the emulated backend:
// rdtsc and rdtscp (QEMU reads the host's counter) and rdrand and rdseed (the host's
// random bytes). A recording logs what each returned and a replay hands the same back
// (Backend::log_cpu_inputs). As for the privileged instructions (privileged_hooks.h),
// guest code can't change, so a scan finds every place one can start; a code hook there
// notes it, and one on the instruction after it reads or rewrites what it wrote.
#pragma once

#include <unicorn/unicorn.h>

#include <cstdint>
#include <set>
#include <vector>

#include "../backend.h"
#include "../guest_memory.h"
#include "instruction_counter.h"

namespace microscope {

class CpuInputHooks {
 public:
  CpuInputHooks(uc_engine* uc, const GuestMemory& memory) : uc_(uc), memory_(memory) {}
  CpuInputHooks(const CpuInputHooks&) = delete;
  CpuInputHooks& operator=(const CpuInputHooks&) = delete;

  void scan(uint64_t begin, uint64_t end);
  void log(CpuInputLog* log, const InstructionCounter* counter) {
    log_ = log;
    counter_ = counter;
  }

 private:
  struct Pending {
    bool active = false;
    uint64_t next = 0, position = 0;
    int registers[3] = {};
    int count = 0;
  };
  static void on_instruction(uc_engine* uc, uint64_t address, uint32_t size, void* user);
  static void on_next(uc_engine* uc, uint64_t address, uint32_t size, void* user);
  void hook(uint64_t address, uint64_t next);

  uc_engine* uc_;
  const GuestMemory& memory_;
  CpuInputLog* log_ = nullptr;
  const InstructionCounter* counter_ = nullptr;
  std::set<uint64_t> hooked_;
  Pending pending_;
};

}  // namespace microscope
