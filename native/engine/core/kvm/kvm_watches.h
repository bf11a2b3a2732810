// Watchpoints on KVM. The CPU's four debug registers would watch at most 32 bytes, and
// QEMU's emulated SVM ignores them, so each watched page is taken out of guest memory
// instead (kvm_memory.h): a write-only watch makes it a read-only slot, any other watch
// leaves it in no slot at all, so every access to it exits as MMIO. The engine serves the
// access from guest memory and, for one that touches a watched range, has KVM finish the
// instruction and stop (immediate_exit).
#pragma once

#include <linux/kvm.h>

#include <vector>

#include "../backend.h"
#include "kvm_memory.h"

namespace microscope {

class KvmWatches {
 public:
  explicit KvmWatches(KvmMemory& memory) : memory_(memory) {}

  // The watches of the runs that follow; throws a usage error for a page KVM can't take
  // out (code, page tables, GDT, IDT: what the CPU itself reads).
  void set(const std::vector<WatchRange>& watches);
  // An MMIO exit: true when it was an access to a watched page, now served (`rip` is the
  // vCPU's, for a read's instruction).
  bool serve(kvm_run* run, uint64_t rip);

  bool pending() const { return pending_; }   // a served access touched a watched range
  void clear_pending() { pending_ = false; }  // its instruction is complete now
  const WatchHit& hit() const { return hit_; }

 private:
  KvmMemory& memory_;
  std::vector<WatchRange> watches_;
  std::vector<WatchedPage> pages_;
  WatchHit hit_;
  bool pending_ = false;
};

}  // namespace microscope
