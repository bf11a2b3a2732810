// Snapshots of a sandbox: guest memory and vCPU state, taken and restored at a cost that
// follows the pages written, not the size of guest memory.
//
// A snapshot keeps a copy of every page that has ever been written (all others are
// still zero). The "base" is the snapshot taken or restored last; restoring the base
// copies back only the pages dirtied since, which is what a call with restore costs.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "backend.h"
#include "guest_memory.h"
#include "page_set.h"

namespace microscope {

// Where two states of guest memory differ: a page, and the runs of bytes in it.
struct PageDifference {
  uint32_t page;
  std::vector<std::pair<uint32_t, uint32_t>> runs;  // offset in the page, length
};

class Snapshots {
 public:
  Snapshots(GuestMemory& memory, Backend& backend);

  uint64_t take();
  // Returns the number of pages copied back. Throws a usage error for an unknown id.
  size_t restore(uint64_t id);
  size_t restore_base() { return restore(base_id_); }
  void drop(uint64_t id);
  // The pages and bytes where snapshot `a` differs from snapshot `b`, or from guest
  // memory now when `b` is 0. Pages in ascending order.
  std::vector<PageDifference> compare(uint64_t a, uint64_t b);
  // Copies `length` bytes at guest `address` as snapshot `id` holds them (the caller has
  // checked the range against guest memory).
  void read(uint64_t id, uint64_t address, uint8_t* out, uint64_t length) const;
  uint64_t base_id() const { return base_id_; }
  // Another backend runs the sandbox from now on (emulated_twin.h): each snapshot's vCPU
  // state is carried over to its form, or (`check` throws for one) none.
  void move_cpu_states(Backend& from, Backend& to, void (*check)(const SpecialRegisters&) = nullptr);

 private:
  struct Snapshot {
    std::vector<uint32_t> pages;    // sorted
    std::vector<uint8_t> contents;  // 4 KiB per page, in the order of `pages`
    std::unique_ptr<CpuState> cpu;
    // The same state in the other backend's form, kept from the last move_cpu_states(),
    // so that coming back loses nothing the copy doesn't carry (KVM's MSRs, say).
    std::unique_ptr<CpuState> other;
    const Backend* other_is_for = nullptr;
  };

  const Snapshot& find(uint64_t id) const;
  void restore_page(const Snapshot& snapshot, uint32_t page);
  // The page's bytes in `snapshot` (null when it was never written: all zero).
  static const uint8_t* page_in(const Snapshot& snapshot, uint32_t page);

  GuestMemory& memory_;
  Backend* backend_;
  std::map<uint64_t, Snapshot> snapshots_;
  PageSet touched_;  // every page written since the sandbox was made
  uint64_t base_id_ = 0;
  uint64_t next_id_ = 1;
};

}  // namespace microscope
