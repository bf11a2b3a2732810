#include "control_policy.h"

#include "../../include/microscope/abi.h"
#include "errors.h"

namespace microscope {

namespace {

constexpr uint32_t kTsc = 0x10;
constexpr uint32_t kSysenterCs = 0x174, kSysenterEsp = 0x175, kSysenterEip = 0x176;
constexpr uint32_t kPat = 0x277;
constexpr uint32_t kEfer = 0xc0000080;
constexpr uint32_t kStar = 0xc0000081, kLstar = 0xc0000082, kCstar = 0xc0000083, kSfmask = 0xc0000084;
constexpr uint32_t kFsBase = 0xc0000100, kGsBase = 0xc0000101, kKernelGsBase = 0xc0000102, kTscAux = 0xc0000103;

constexpr uint64_t kEferLma = 1ull << 10;
constexpr uint64_t kCr0Pe = 1, kCr0Nw = 1ull << 29, kCr0Cd = 1ull << 30, kCr0Pg = 1ull << 31;
constexpr uint64_t kCr4Pae = 1ull << 5, kCr4La57 = 1ull << 12, kCr4Pcide = 1ull << 17;

bool canonical(uint64_t address) {
  const int64_t high = int64_t(address) >> 47;
  return high == 0 || high == -1;
}

std::string msr_name(uint32_t msr) { return "MSR " + hex(msr); }

}  // namespace

const std::vector<uint32_t>& guest_writable_msrs() {
  static const std::vector<uint32_t> msrs = {kSysenterCs, kSysenterEsp, kSysenterEip, kPat,    kStar,         kLstar,
                                             kCstar,      kSfmask,      kFsBase,      kGsBase, kKernelGsBase, kTscAux};
  return msrs;
}

ControlDecision check_msr_read(uint32_t msr) {
  if (msr == kTsc || msr == kEfer) return ControlDecision::allow();
  for (uint32_t known : guest_writable_msrs()) {
    if (known == msr) return ControlDecision::allow();
  }
  return ControlDecision::fault("rdmsr of " + msr_name(msr) + ", which the micro-VM doesn't have");
}

ControlDecision check_msr_write(uint32_t msr, uint64_t value, uint64_t efer) {
  switch (msr) {
    case kEfer:
      // LMA can't be written (the CPU keeps it); anything else is the engine's.
      if ((value & ~kEferLma) == (efer & ~kEferLma)) return ControlDecision::allow();
      return ControlDecision::fault("wrmsr EFER " + hex(value) + ": the engine owns EFER (" + hex(efer) +
                                    "); a guest may not change it");
    case kTsc: return ControlDecision::fault("wrmsr of the TSC: the guest's clock is the engine's");
    case kSysenterEsp:
    case kSysenterEip:
    case kLstar:
    case kCstar:
    case kFsBase:
    case kGsBase:
    case kKernelGsBase:
      if (!canonical(value))
        return ControlDecision::fault("wrmsr " + msr_name(msr) + " " + hex(value) + ": not canonical");
      return ControlDecision::allow();
    case kPat:
      for (int i = 0; i < 8; ++i) {
        const uint64_t type = (value >> (8 * i)) & 0xff;
        if (type == 2 || type == 3 || type > 7) {
          return ControlDecision::fault("wrmsr PAT " + hex(value) + ": memory type " + std::to_string(type) +
                                        " is reserved");
        }
      }
      return ControlDecision::allow();
    case kSfmask:
    case kTscAux:
      if (value >> 32)
        return ControlDecision::fault("wrmsr " + msr_name(msr) + " " + hex(value) + ": bits 63:32 are reserved");
      return ControlDecision::allow();
    case kSysenterCs:
    case kStar: return ControlDecision::allow();
  }
  return ControlDecision::fault("wrmsr of " + msr_name(msr) + ", which the micro-VM doesn't have");
}

ControlDecision check_cr_write(int cr, uint64_t value, const ControlRegisters& now) {
  switch (cr) {
    case 0:
      if (value >> 32) return ControlDecision::fault("mov cr0, " + hex(value) + ": bits 63:32 are reserved");
      if ((value & kCr0Nw) && !(value & kCr0Cd))
        return ControlDecision::fault("mov cr0, " + hex(value) + ": NW without CD");
      if ((value & kCr0Pg) && !(value & kCr0Pe))
        return ControlDecision::fault("mov cr0, " + hex(value) + ": PG without PE");
      if (!(value & kCr0Pg)) {
        if (now.code64) return ControlDecision::fault("mov cr0, " + hex(value) + ": clearing PG in 64-bit code");
        return ControlDecision::unsupported("mov cr0, " + hex(value) +
                                            " leaves long mode, which the emulated backend can't run");
      }
      return ControlDecision::allow();
    case 3: {
      const uint64_t address = value & 0x000ffffffffff000ull;
      const uint64_t reserved = value & ~0x000fffffffffffffull & ~((now.cr4 & kCr4Pcide) ? 1ull << 63 : 0);
      if (reserved) return ControlDecision::fault("mov cr3, " + hex(value) + ": reserved bits set");
      if (address != MS_PAGE_TABLES_ADDRESS) {
        return ControlDecision::unsupported("mov cr3, " + hex(value) +
                                            ": the emulated backend runs only the engine's page tables (" +
                                            hex(MS_PAGE_TABLES_ADDRESS) + "); Unicorn 2.0.1 ignores a guest's own");
      }
      return ControlDecision::allow();
    }
    case 4:
      if ((now.efer & kEferLma) && !(value & kCr4Pae)) {
        return ControlDecision::fault("mov cr4, " + hex(value) + ": clearing PAE in long mode");
      }
      if ((now.efer & kEferLma) && ((value ^ now.cr4) & kCr4La57)) {
        return ControlDecision::fault("mov cr4, " + hex(value) + ": changing LA57 in long mode");
      }
      if ((value & kCr4Pcide) && !(now.cr4 & kCr4Pcide) && (now.cr3 & 0xfff)) {
        return ControlDecision::fault("mov cr4, " + hex(value) + ": PCIDE with CR3[11:0] not zero");
      }
      return ControlDecision::allow();
  }
  return ControlDecision::allow();
}

}  // namespace microscope
