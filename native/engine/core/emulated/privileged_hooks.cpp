#include "privileged_hooks.h"

#include <algorithm>
#include <cstring>

#include "../errors.h"
#include "unicorn_registers.h"

namespace microscope {

namespace {

// The opcodes' second bytes after 0x0F: mov from and to DRn, mov to CRn, wrmsr, rdmsr.
constexpr uint8_t kMovFromDr = 0x21, kMovToCr = 0x22, kMovToDr = 0x23, kWrmsr = 0x30, kRdmsr = 0x32;
constexpr size_t kMaxPrefixes = 14;  // an instruction is at most 15 bytes
constexpr uint64_t kCr0WriteProtect = 1ull << 16;

bool legacy_prefix(uint8_t byte) {
  switch (byte) {
    case 0xf0:
    case 0xf2:
    case 0xf3:
    case 0x2e:
    case 0x36:
    case 0x3e:
    case 0x26:
    case 0x64:
    case 0x65:
    case 0x66:
    case 0x67: return true;
  }
  return false;
}

bool rex_prefix(uint8_t byte) { return (byte & 0xf0) == 0x40; }

// Unicorn's ids of the general registers, in the order of their encoding.
const int kGeneralRegisters[16] = {UC_X86_REG_RAX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RBX,
                                   UC_X86_REG_RSP, UC_X86_REG_RBP, UC_X86_REG_RSI, UC_X86_REG_RDI,
                                   UC_X86_REG_R8,  UC_X86_REG_R9,  UC_X86_REG_R10, UC_X86_REG_R11,
                                   UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15};

}  // namespace

PrivilegedHooks::PrivilegedHooks(uc_engine* uc, const GuestMemory& memory, Listener& listener)
    : uc_(uc), memory_(memory), listener_(listener) {}

void PrivilegedHooks::scan(uint64_t begin, uint64_t end) {
  // An instruction holding 0F xx at `at` starts at `at` or up to 14 prefix bytes before.
  begin = begin > kMaxPrefixes ? begin - kMaxPrefixes : 0;
  end = std::min(end + 1, memory_.size());
  const uint8_t* bytes = memory_.host();
  for (uint64_t at = begin; at + 1 < end; ++at) {
    if (bytes[at] != 0x0f) continue;
    const uint8_t op = bytes[at + 1];
    if (op != kMovFromDr && op != kMovToCr && op != kMovToDr && op != kWrmsr && op != kRdmsr) continue;
    uint64_t first = at;
    while (at - first < kMaxPrefixes && first > 0 && (legacy_prefix(bytes[first - 1]) || rex_prefix(bytes[first - 1])))
      --first;
    hook(first, at);
  }
}

void PrivilegedHooks::hook(uint64_t first, uint64_t last) {
  if (!starts_.insert(first).second) return;
  uc_hook handle;
  unicorn_check(uc_hook_add(uc_, &handle, UC_HOOK_CODE, reinterpret_cast<void*>(&on_instruction), this, first, last),
                "hook a privileged instruction");
  hooks_.push_back(handle);
  // Code translated before the hook existed doesn't call it.
  uc_ctl_remove_cache(uc_, first, last + 1);
}

void PrivilegedHooks::on_instruction(uc_engine* /*uc*/, uint64_t address, uint32_t size, void* user) {
  static_cast<PrivilegedHooks*>(user)->check(address, size);
}

bool PrivilegedHooks::move_debug_register(uint64_t address, uint32_t size, bool to, uint8_t modrm, uint8_t rex,
                                          bool code64) {
  int dr = (modrm >> 3) & 7;
  const int gpr = (modrm & 7) | ((rex & 1) ? 8 : 0);
  uint64_t cr4 = 0;
  uc_reg_read(uc_, UC_X86_REG_CR4, &cr4);
  if ((rex & 4) || ((dr == 4 || dr == 5) && (cr4 & 8))) {
    listener_.refuse(address,
                     ControlDecision::undefined("mov " + std::string(to ? "to" : "from") + " DR" +
                                                std::to_string(dr + ((rex & 4) ? 8 : 0)) + ": no such register"));
    return false;
  }
  if (dr == 4 || dr == 5) dr += 2;  // DR4 and DR5 alias DR6 and DR7 while CR4.DE is clear
  uint64_t* slot = dr < 4 ? &debug_.dr[dr] : dr == 6 ? &debug_.dr6 : &debug_.dr7;
  if (to) {
    const uint64_t value = general_register(gpr, code64);
    if (dr >= 6 && (value >> 32)) {
      listener_.refuse(address, ControlDecision::fault("mov dr" + std::to_string(dr) + ", " + hex(value) +
                                                       ": bits 63:32 are reserved"));
      return false;
    }
    *slot = dr == 6 ? (value | 0xffff0ff0) : dr == 7 ? ((value | 0x400) & ~0x2000ull) : value;
  } else {
    const uint64_t value = code64 ? *slot : uint32_t(*slot);
    uc_reg_write(uc_, kGeneralRegisters[gpr], &value);
  }
  // Past the instruction: Unicorn never runs it (writing RIP in a hook ends the block).
  const uint64_t next = address + size;
  uc_reg_write(uc_, UC_X86_REG_RIP, &next);
  return true;
}

uint64_t PrivilegedHooks::read_efer() {
  uc_x86_msr efer{0xc0000080, 0};  // Unicorn 2.0.1 has EFER only as an MSR
  uc_reg_read(uc_, UC_X86_REG_MSR, &efer);
  return efer.value;
}

uint64_t PrivilegedHooks::general_register(int number, bool code64) {
  uint64_t value = 0;
  uc_reg_read(uc_, kGeneralRegisters[number & 15], &value);
  return code64 ? value : uint32_t(value);
}

void PrivilegedHooks::check(uint64_t address, uint32_t size) {
  const uint8_t* bytes = memory_.range(address, size);
  if (!bytes || size < 2) return;
  const bool is64 = in_64bit_code(uc_, memory_);
  size_t i = 0;
  bool lock = false;
  uint8_t rex = 0;
  while (i < size) {
    if (legacy_prefix(bytes[i])) {
      lock = lock || bytes[i] == 0xf0;
      rex = 0;  // a REX prefix counts only right before the opcode
    } else if (is64 && rex_prefix(bytes[i])) {
      rex = bytes[i];
    } else {
      break;
    }
    ++i;
  }
  if (i + 2 > size || bytes[i] != 0x0f) return;
  const uint8_t op = bytes[i + 1];
  ControlDecision decision;
  if ((op == kWrmsr || op == kRdmsr) && i + 2 == size) {
    const uint32_t msr = uint32_t(general_register(1, false));
    if (op == kRdmsr) {
      decision = check_msr_read(msr);
    } else {
      const uint64_t value = general_register(2, false) << 32 | general_register(0, false);
      decision = check_msr_write(msr, value, read_efer());
    }
  } else if (op == kMovToCr && i + 3 == size) {
    const uint8_t modrm = bytes[i + 2];
    int cr = ((modrm >> 3) & 7) | ((rex & 4) ? 8 : 0);
    if (lock && cr == 0) cr = 8;  // AMD's encoding of mov to CR8 outside 64-bit mode
    const uint64_t value = general_register((modrm & 7) | ((rex & 1) ? 8 : 0), is64);
    ControlRegisters now{};
    uc_reg_read(uc_, UC_X86_REG_CR0, &now.cr0);
    uc_reg_read(uc_, UC_X86_REG_CR3, &now.cr3);
    uc_reg_read(uc_, UC_X86_REG_CR4, &now.cr4);
    now.efer = read_efer();
    now.code64 = is64;
    decision = check_cr_write(cr, value, now);
    if (decision.verdict == ControlDecision::Allow && cr == 0 && !(value & kCr0WriteProtect)) {
      listener_.write_protect_cleared();
    }
  } else if ((op == kMovToDr || op == kMovFromDr) && i + 3 == size) {
    move_debug_register(address, size, op == kMovToDr, bytes[i + 2], rex, is64);
    return;
  } else {
    return;  // some other instruction that starts here
  }
  if (decision.verdict != ControlDecision::Allow) listener_.refuse(address, decision);
}

}  // namespace microscope
