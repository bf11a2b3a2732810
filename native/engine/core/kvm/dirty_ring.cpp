#include "dirty_ring.h"

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "../errors.h"

namespace microscope {

namespace {

// 4,096 entries of 16 bytes. A call that writes more pages exits with
// KVM_EXIT_DIRTY_RING_FULL before the ring overflows, and the backend harvests it then.
constexpr uint32_t kRingBytes = 64 * 1024;

}  // namespace

bool DirtyRing::enable(int vm) {
  const int most = ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_DIRTY_LOG_RING);
  if (most < int(kRingBytes)) return false;
  kvm_enable_cap cap{};
  cap.cap = KVM_CAP_DIRTY_LOG_RING;
  cap.args[0] = kRingBytes;
  return ioctl(vm, KVM_ENABLE_CAP, &cap) == 0;
}

DirtyRing::~DirtyRing() {
  if (entries_) munmap(entries_, kRingBytes);
}

void DirtyRing::attach(int vm, int vcpu) {
  const long page = sysconf(_SC_PAGESIZE);
  void* ring = mmap(nullptr, kRingBytes, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, KVM_DIRTY_LOG_PAGE_OFFSET * page);
  if (ring == MAP_FAILED) {
    throw EngineError(ErrorKind::Backend, std::string("KVM: mmap the dirty ring: ") + std::strerror(errno));
  }
  vm_ = vm;
  entries_ = static_cast<kvm_dirty_gfn*>(ring);
  count_ = kRingBytes / sizeof(kvm_dirty_gfn);
}

void DirtyRing::harvest(const std::function<void(uint32_t slot, uint64_t offset)>& page) {
  bool any = false;
  for (;;) {
    kvm_dirty_gfn& entry = entries_[next_ % count_];
    // KVM publishes an entry by setting DIRTY last; read the rest only after it.
    if (!(__atomic_load_n(&entry.flags, __ATOMIC_ACQUIRE) & KVM_DIRTY_GFN_F_DIRTY)) break;
    page(entry.slot & 0xffff, entry.offset);  // the high half is the address space: always 0 here
    __atomic_store_n(&entry.flags, KVM_DIRTY_GFN_F_RESET, __ATOMIC_RELEASE);
    ++next_;
    any = true;
  }
  if (any && ioctl(vm_, KVM_RESET_DIRTY_RINGS, 0) < 0) {
    throw EngineError(ErrorKind::Backend, std::string("KVM: KVM_RESET_DIRTY_RINGS: ") + std::strerror(errno));
  }
}

}  // namespace microscope
