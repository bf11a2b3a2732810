// A set of guest page numbers that is cheap to add to (the emulator's write hook does it
// on every guest store) and cheap to walk and clear: the cost of restoring a snapshot
// must follow the pages written, not the size of guest memory.
#pragma once

#include <cstdint>
#include <vector>

namespace microscope {

class PageSet {
 public:
  explicit PageSet(uint64_t page_count) : bits_((page_count + 63) / 64, 0) {}

  void add(uint64_t page) {
    uint64_t& word = bits_[page >> 6];
    const uint64_t bit = uint64_t(1) << (page & 63);
    if (!(word & bit)) {
      word |= bit;
      list_.push_back(uint32_t(page));
    }
  }

  // Pages covering [address, address + length); the caller has bounds-checked the range.
  void add_range(uint64_t address, uint64_t length) {
    if (length == 0) return;
    for (uint64_t page = address >> 12; page <= (address + length - 1) >> 12; ++page) add(page);
  }

  bool contains(uint64_t page) const { return bits_[page >> 6] & (uint64_t(1) << (page & 63)); }
  const std::vector<uint32_t>& pages() const { return list_; }
  bool empty() const { return list_.empty(); }

  void merge(const PageSet& other) {
    for (uint32_t page : other.list_) add(page);
  }

  // Takes out the pages in [first, end).
  void remove(uint64_t first, uint64_t end) {
    size_t kept = 0;
    for (uint32_t page : list_) {
      if (page >= first && page < end)
        bits_[page >> 6] &= ~(uint64_t(1) << (page & 63));
      else
        list_[kept++] = page;
    }
    list_.resize(kept);
  }

  void clear() {
    for (uint32_t page : list_) bits_[page >> 6] = 0;
    list_.clear();
  }

 private:
  std::vector<uint64_t> bits_;
  std::vector<uint32_t> list_;
};

}  // namespace microscope
