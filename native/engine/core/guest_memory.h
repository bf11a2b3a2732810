// The guest's one linear slice of memory, as the host sees it. Every access the host
// makes on the guest's say-so goes through range() so it can't leave this slice.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "page_set.h"

namespace microscope {

class GuestMemory {
 public:
  explicit GuestMemory(uint64_t size);
  ~GuestMemory();
  GuestMemory(const GuestMemory&) = delete;
  GuestMemory& operator=(const GuestMemory&) = delete;

  uint8_t* host() const { return base_; }
  uint64_t size() const { return size_; }
  uint64_t page_count() const { return size_ >> 12; }

  bool contains(uint64_t address, uint64_t length) const { return address <= size_ && length <= size_ - address; }

  // Host pointer to [address, address + length), or nullptr when any of it is outside.
  uint8_t* range(uint64_t address, uint64_t length) const {
    return contains(address, length) ? base_ + address : nullptr;
  }

  // Bounds-checked copies; throw EngineError(Memory) naming the range.
  void read(uint64_t address, void* out, uint64_t length) const;
  // A host write that becomes part of the guest's state: tracked for snapshots.
  void write(uint64_t address, const void* data, uint64_t length);

  // Pages written since the last snapshot or restore, by the guest (the backend adds
  // them) or by the host through write().
  PageSet& dirty() { return dirty_; }
  // A second set the pages written go to as well, while a call is recorded (the pages
  // written since its last checkpoint, debug/recording.h); null for none.
  void track_writes(PageSet* pages) { tracked_ = pages; }
  PageSet* tracked() const { return tracked_; }

  std::string describe_range(uint64_t address, uint64_t length) const;

 private:
  uint8_t* base_;
  uint64_t size_;
  PageSet dirty_;
  PageSet* tracked_ = nullptr;
};

}  // namespace microscope
