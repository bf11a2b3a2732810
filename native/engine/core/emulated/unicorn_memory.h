// Guest memory as Unicorn maps it, and where code may run.
//
// What the guest may write is the host's to enforce, whatever the guest does to CR0: the
// regions it can't write are mapped without UC_PROT_WRITE, so Unicorn refuses a store
// there before it looks at the guest's page tables or its TLB (which keeps translations
// across a restore: the host can't flush it). The rest is mapped writable, one mapping
// per run: present and writable come from the engine's page tables, which no guest can
// change (core/control_policy.h), so those faults arrive as #PF exactly as on KVM.
// Execute permission, which Unicorn 2.0.1 can't take from the page tables (no NX), the
// backend checks per block against code().
#pragma once

#include <unicorn/unicorn.h>

#include <utility>
#include <vector>

#include "../guest_memory.h"
#include "../layout.h"

namespace microscope {

class UnicornMemory {
 public:
  // Maps `memory` into `uc` as `layout` says; throws when Unicorn refuses.
  UnicornMemory(uc_engine* uc, GuestMemory& memory, const Layout& layout);

  // The executable ranges, neighbours merged, in order.
  const std::vector<std::pair<uint64_t, uint64_t>>& code() const { return code_; }
  bool executable(uint64_t begin, uint64_t end) const;
  // Unmapped in the engine's page tables (the null page, the gaps, the stack's guard).
  bool unmapped(uint64_t address) const;

 private:
  std::vector<Region> regions_;
  std::vector<std::pair<uint64_t, uint64_t>> code_;
};

}  // namespace microscope
