#include "guest_memory.h"

#include <sys/mman.h>

#include <cerrno>

#include "errors.h"

namespace microscope {

GuestMemory::GuestMemory(uint64_t size) : base_(nullptr), size_(size), dirty_(size >> 12) {
  // Anonymous memory arrives zeroed and is committed page by page as it is touched,
  // so a 16 MiB guest that uses 100 KiB costs 100 KiB.
  void* memory = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (memory == MAP_FAILED) {
    throw EngineError(ErrorKind::Internal,
                      "can't reserve " + std::to_string(size >> 20) + " MiB of guest memory: " + std::strerror(errno));
  }
  base_ = static_cast<uint8_t*>(memory);
  // Transparent huge pages would zero 2 MiB on the first touch of each 2 MiB region: a
  // guest's few scattered pages (tables, image, stack top) would cost 4 MiB of zeroing.
  madvise(base_, size, MADV_NOHUGEPAGE);
}

GuestMemory::~GuestMemory() { munmap(base_, size_); }

std::string GuestMemory::describe_range(uint64_t address, uint64_t length) const {
  return "[" + hex(address) + ", +" + hex(length) + ") is outside guest memory [0, " + hex(size_) + ")";
}

void GuestMemory::read(uint64_t address, void* out, uint64_t length) const {
  const uint8_t* source = range(address, length);
  if (!source) throw EngineError(ErrorKind::Memory, describe_range(address, length));
  std::memcpy(out, source, length);
}

void GuestMemory::write(uint64_t address, const void* data, uint64_t length) {
  uint8_t* target = range(address, length);
  if (!target) throw EngineError(ErrorKind::Memory, describe_range(address, length));
  std::memcpy(target, data, length);
  dirty_.add_range(address, length);
  if (tracked_) tracked_->add_range(address, length);
}

}  // namespace microscope
