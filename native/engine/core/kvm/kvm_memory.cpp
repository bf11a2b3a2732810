#include "kvm_memory.h"

#include <linux/kvm.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>

#include "../errors.h"

namespace microscope {

namespace {

void check(int result, const char* what) {
  if (result < 0) throw EngineError(ErrorKind::Backend, std::string("KVM: ") + what + ": " + std::strerror(errno));
}

}  // namespace

KvmMemory::KvmMemory(int vm, GuestMemory& memory, const Layout& layout)
    : vm_(vm), memory_(memory), regions_(layout.regions) {}

void KvmMemory::map(const std::vector<WatchedPage>& watched_pages) {
  if (!slots_.empty()) collect_dirty_pages();  // a slot's dirty log goes with it
  for (const Slot& slot : slots_) {
    kvm_userspace_memory_region region{};
    region.slot = slot.id;  // size 0: delete
    check(ioctl(vm_, KVM_SET_USER_MEMORY_REGION, &region), "KVM_SET_USER_MEMORY_REGION (delete)");
  }
  slots_.clear();
  auto add = [this](uint64_t begin, uint64_t end, bool readonly) {
    if (begin >= end) return;
    if (!slots_.empty() && slots_.back().readonly == readonly && slots_.back().begin + slots_.back().size == begin) {
      slots_.back().size = end - slots_.back().begin;
    } else {
      slots_.push_back({uint32_t(slots_.size()), begin, end - begin, readonly});
    }
  };
  for (const Region& region : regions_) {
    if (!region.access && !region.cpu_tables) continue;
    const bool readonly = region.access && !(region.access & kWrite);
    uint64_t at = region.begin;
    for (const WatchedPage& watched : watched_pages) {
      const uint64_t page = watched.page * MS_PAGE_SIZE;
      if (page < at || page >= region.end) continue;
      add(at, page, readonly);
      if (!watched.unmapped) add(page, page + MS_PAGE_SIZE, true);
      at = page + MS_PAGE_SIZE;
    }
    add(at, region.end, readonly);
  }
  for (const Slot& slot : slots_) {
    kvm_userspace_memory_region region{};
    region.slot = slot.id;
    region.flags = slot.readonly ? KVM_MEM_READONLY : KVM_MEM_LOG_DIRTY_PAGES;
    region.guest_phys_addr = slot.begin;
    region.memory_size = slot.size;
    region.userspace_addr = uint64_t(uintptr_t(memory_.host() + slot.begin));
    check(ioctl(vm_, KVM_SET_USER_MEMORY_REGION, &region), "KVM_SET_USER_MEMORY_REGION");
  }
}

void KvmMemory::collect_dirty_pages() {
  PageSet& dirty = memory_.dirty();
  if (ring_) {
    ring_->harvest([&](uint32_t slot, uint64_t offset) {
      // Slot ids are indexes into slots_ (map() numbers them so), and a remap harvests first.
      if (slot < slots_.size() && offset < slots_[slot].size / MS_PAGE_SIZE) {
        dirty.add(slots_[slot].begin / MS_PAGE_SIZE + offset);
      }
    });
    return;
  }
  for (const Slot& slot : slots_) {
    if (slot.readonly) continue;
    const uint64_t pages = slot.size / MS_PAGE_SIZE;
    bitmap_.assign((pages + 63) / 64, 0);
    kvm_dirty_log log{};
    log.slot = slot.id;
    log.dirty_bitmap = bitmap_.data();
    check(ioctl(vm_, KVM_GET_DIRTY_LOG, &log), "KVM_GET_DIRTY_LOG");
    for (size_t word = 0; word < bitmap_.size(); ++word) {
      for (uint64_t bits = bitmap_[word]; bits; bits &= bits - 1) {
        dirty.add(slot.begin / MS_PAGE_SIZE + word * 64 + uint64_t(__builtin_ctzll(bits)));
      }
    }
  }
}

const Region* KvmMemory::region_at(uint64_t address) const {
  for (const Region& region : regions_) {
    if (address >= region.begin && address < region.end) return &region;
  }
  return nullptr;
}

bool KvmMemory::mapped(uint64_t address) const {
  for (const Slot& slot : slots_) {
    if (address >= slot.begin && address < slot.begin + slot.size) return true;
  }
  return false;
}

}  // namespace microscope
