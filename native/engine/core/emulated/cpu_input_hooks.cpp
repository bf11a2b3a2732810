#include "cpu_input_hooks.h"

#include "../errors.h"
#include "unicorn_registers.h"

namespace microscope {

namespace {

// Unicorn's ids of the general registers, in the order of their encoding.
const int kGeneral[16] = {UC_X86_REG_RAX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RBX,
                          UC_X86_REG_RSP, UC_X86_REG_RBP, UC_X86_REG_RSI, UC_X86_REG_RDI,
                          UC_X86_REG_R8,  UC_X86_REG_R9,  UC_X86_REG_R10, UC_X86_REG_R11,
                          UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15};

// The instruction at `at` (with its prefixes from `first`): which one it is, its length
// and the registers it writes. 0 registers: none of them.
int decode(const uint8_t* bytes, uint64_t first, uint64_t at, uint64_t end, int registers[3], uint64_t* next) {
  uint8_t rex = 0;
  for (uint64_t p = first; p < at; ++p) {
    if ((bytes[p] & 0xf0) == 0x40) rex = bytes[p];
  }
  if (at + 1 >= end || bytes[at] != 0x0f) return 0;
  if (bytes[at + 1] == 0x31) {  // rdtsc
    registers[0] = UC_X86_REG_RAX;
    registers[1] = UC_X86_REG_RDX;
    *next = at + 2;
    return 2;
  }
  if (at + 2 < end && bytes[at + 1] == 0x01 && bytes[at + 2] == 0xf9) {  // rdtscp
    registers[0] = UC_X86_REG_RAX;
    registers[1] = UC_X86_REG_RDX;
    registers[2] = UC_X86_REG_RCX;
    *next = at + 3;
    return 3;
  }
  if (at + 2 < end && bytes[at + 1] == 0xc7) {
    const uint8_t modrm = bytes[at + 2];
    const int reg = (modrm >> 3) & 7;
    if ((modrm >> 6) == 3 && (reg == 6 || reg == 7)) {  // rdrand, rdseed
      registers[0] = kGeneral[(modrm & 7) | ((rex & 1) << 3)];
      registers[1] = UC_X86_REG_RFLAGS;
      *next = at + 3;
      return 2;
    }
  }
  return 0;
}

bool prefix(uint8_t byte) { return byte == 0x66 || byte == 0xf3 || byte == 0xf2 || (byte & 0xf0) == 0x40; }

}  // namespace

void CpuInputHooks::scan(uint64_t begin, uint64_t end) {
  end = std::min(end, memory_.size());
  const uint8_t* bytes = memory_.host();
  for (uint64_t at = begin; at + 1 < end; ++at) {
    if (bytes[at] != 0x0f) continue;
    uint64_t first = at;
    while (first > begin && at - first < 4 && prefix(bytes[first - 1])) --first;
    int registers[3];
    uint64_t next = 0;
    if (!decode(bytes, first, at, end, registers, &next)) continue;
    // Any prefix byte before it could be where the instruction starts.
    for (uint64_t start = first; start <= at; ++start) hook(start, next);
  }
}

void CpuInputHooks::hook(uint64_t address, uint64_t next) {
  if (hooked_.insert(address).second) {
    uc_hook handle;
    unicorn_check(
        uc_hook_add(uc_, &handle, UC_HOOK_CODE, reinterpret_cast<void*>(&on_instruction), this, address, address),
        "hook an instruction that reads outside the guest");
    uc_ctl_remove_cache(uc_, address, address + 1);
  }
  if (hooked_.insert(next | (uint64_t(1) << 63)).second) {
    uc_hook handle;
    unicorn_check(uc_hook_add(uc_, &handle, UC_HOOK_CODE, reinterpret_cast<void*>(&on_next), this, next, next),
                  "hook the instruction after one that reads outside the guest");
    uc_ctl_remove_cache(uc_, next, next + 1);
  }
}

void CpuInputHooks::on_instruction(uc_engine* /*uc*/, uint64_t address, uint32_t size, void* user) {
  auto* self = static_cast<CpuInputHooks*>(user);
  if (!self->log_ || !self->counter_) return;
  const uint64_t end = std::min<uint64_t>(address + size, self->memory_.size());
  uint64_t at = address;
  while (at < end && prefix(self->memory_.host()[at])) ++at;
  Pending pending;
  pending.count = decode(self->memory_.host(), address, at, end, pending.registers, &pending.next);
  if (!pending.count || pending.next != address + size) return;  // bytes inside another instruction
  pending.active = true;
  pending.position = self->counter_->at(address);
  self->pending_ = pending;
}

void CpuInputHooks::on_next(uc_engine* uc, uint64_t address, uint32_t /*size*/, void* user) {
  auto* self = static_cast<CpuInputHooks*>(user);
  Pending& pending = self->pending_;
  if (!pending.active || pending.next != address || !self->log_) return;
  pending.active = false;
  uint64_t values[3] = {};
  for (int i = 0; i < pending.count; ++i) uc_reg_read(uc, pending.registers[i], &values[i]);
  if (self->log_->replayed_input(pending.position, values, pending.count)) {
    for (int i = 0; i < pending.count; ++i) uc_reg_write(uc, pending.registers[i], &values[i]);
  } else {
    self->log_->recorded_input(pending.position, values, pending.count);
  }
}

}  // namespace microscope
