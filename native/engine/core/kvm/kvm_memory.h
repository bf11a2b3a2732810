// Guest memory as KVM's memory slots, and the dirty log a restore reads.
//
// What the guest may write is the host's to enforce, whatever it does to CR0.WP or its
// own page tables: everything the layout makes read-only (the control block, GDT, IDT,
// input buffer, engine code, the image's code and read-only data) is in read-only slots,
// where a write exits as MMIO; what the layout leaves unmapped (the null page, the gaps,
// the stack's guard page) is in no slot at all, so nothing reaches it even through a
// guest's own page tables. The page tables can't be a read-only slot: a CPU that walks
// them may ask for write access (QEMU's emulated SVM always does, as do Intel's EPT
// accessed and dirty flags), and KVM then emulates every walk and fails. They are in a
// writable slot that no address in them maps, so only a guest that loaded its own page
// tables can reach them, and a restore puts them back. Writable slots log dirty pages for
// snapshots. Watched pages (kvm_watches.h) are cut out: read-only, or in no slot.
#pragma once

#include <cstdint>
#include <vector>

#include "../guest_memory.h"
#include "../layout.h"
#include "dirty_ring.h"

namespace microscope {

// A page taken out of guest memory for a watchpoint.
struct WatchedPage {
  uint64_t page;
  bool unmapped;  // no slot (a read is watched); otherwise a read-only slot
  bool operator==(const WatchedPage& other) const { return page == other.page && unmapped == other.unmapped; }
};

class KvmMemory {
 public:
  KvmMemory(int vm, GuestMemory& memory, const Layout& layout);

  // (Re)makes the slots with these pages cut out; throws when KVM refuses.
  void map(const std::vector<WatchedPage>& watched);
  // Adds the pages the guest wrote since the last call to the memory's dirty set: from the
  // vCPU's dirty ring once attach_dirty_ring() has been given one, else the slots' bitmaps.
  void collect_dirty_pages();
  void attach_dirty_ring(DirtyRing* ring) { ring_ = ring; }

  const Region* region_at(uint64_t address) const;
  bool mapped(uint64_t address) const;  // in a slot
  GuestMemory& memory() { return memory_; }

 private:
  struct Slot {
    uint32_t id;
    uint64_t begin, size;
    bool readonly;
  };

  int vm_;
  GuestMemory& memory_;
  std::vector<Region> regions_;  // the layout's
  std::vector<Slot> slots_;
  std::vector<uint64_t> bitmap_;
  DirtyRing* ring_ = nullptr;
};

}  // namespace microscope
