#include "kvm_watches.h"

#include <algorithm>
#include <cstring>

#include "../errors.h"

namespace microscope {

void KvmWatches::set(const std::vector<WatchRange>& watches) {
  std::vector<WatchedPage> pages;
  for (const WatchRange& range : watches) {
    if (range.length == 0) continue;
    for (uint64_t page = range.address / MS_PAGE_SIZE; page <= (range.address + range.length - 1) / MS_PAGE_SIZE;
         ++page) {
      const Region* region = memory_.region_at(page * MS_PAGE_SIZE);
      if (!region || (region->access & kExecute) || region->cpu_tables) {
        throw EngineError(ErrorKind::Usage, "KVM can't watch " + hex(range.address) + " (" +
                                                std::to_string(range.length) + " bytes): page " +
                                                hex(page * MS_PAGE_SIZE) + " holds " +
                                                (region ? region->name : std::string("nothing")) +
                                                ", which the CPU itself reads; watch data");
      }
      auto it = std::find_if(pages.begin(), pages.end(), [&](const WatchedPage& p) { return p.page == page; });
      if (it == pages.end())
        pages.push_back({page, range.read});
      else
        it->unmapped = it->unmapped || range.read;
    }
  }
  std::sort(pages.begin(), pages.end(), [](const WatchedPage& a, const WatchedPage& b) { return a.page < b.page; });
  if (pages != pages_) {
    pages_ = std::move(pages);
    memory_.map(pages_);
  }
  watches_ = watches;
}

bool KvmWatches::serve(kvm_run* run, uint64_t rip) {
  const uint64_t address = run->mmio.phys_addr;
  const uint32_t length = run->mmio.len;
  const bool write = run->mmio.is_write;
  GuestMemory& memory = memory_.memory();
  const auto watched = std::find_if(pages_.begin(), pages_.end(),
                                    [&](const WatchedPage& p) { return p.page == address / MS_PAGE_SIZE; });
  if (watched == pages_.end() || length > 8 || !memory.contains(address, length)) return false;
  const Region* region = memory_.region_at(address);
  if (write && !(region->access & kWrite)) return false;  // read-only memory: the fault it always was
  if (write) {
    std::memcpy(memory.host() + address, run->mmio.data, length);
    memory.dirty().add(address / MS_PAGE_SIZE);  // no dirty log sees it
  } else {
    std::memcpy(run->mmio.data, memory.host() + address, length);
  }
  if (pending_) return true;
  for (size_t i = 0; i < watches_.size(); ++i) {
    const WatchRange& range = watches_[i];
    if (address + length <= range.address || address >= range.address + range.length) continue;
    if (write ? !range.write : !range.read) continue;
    hit_ = WatchHit{};
    hit_.watch = i;
    hit_.address = address;
    hit_.size = length;
    hit_.write = write;
    // KVM moves RIP past a write before it exits, and leaves it on a read.
    hit_.instruction_known = !write;
    hit_.instruction = write ? 0 : rip;
    pending_ = true;
    run->immediate_exit = 1;
    return true;
  }
  return true;
}

}  // namespace microscope
