// Where everything lives in guest memory, and the host-built contents that make the
// guest run in 64-bit long mode from its first instruction: identity-mapped 4-level page
// tables with per-page permissions, a GDT, the control block and the engine's halt stub.
// native/README.md draws the same layout.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "elf_image.h"
#include "guest_memory.h"

namespace microscope {

struct LayoutOptions {
  uint64_t memory_size = 16ull << 20;
  uint64_t stack_size = 256ull << 10;
  uint64_t io_buffer_size = 64ull << 10;  // each of the input and output buffers
};

// One named range of guest memory with one set of permissions (SegmentAccess bits;
// 0 = not mapped, so any access faults).
struct Region {
  std::string name;
  uint64_t begin, end;
  uint8_t access;
  bool cpu_tables = false;  // the CPU itself reads it: GDT, IDT, page tables (which the guest can't address)
};

struct Layout {
  uint64_t memory_size;
  uint64_t load_bias;  // added to every address in the ELF file (non-zero only for PIE)
  uint64_t page_tables_end;
  uint64_t input_buffer, output_buffer, io_buffer_size;
  uint64_t image_begin, image_end;
  uint64_t heap_begin, heap_end;
  uint64_t stack_base, stack_top;  // the guard page is [stack_base - 4096, stack_base)
  std::vector<Region> regions;     // sorted and gap-free over [0, memory_size)

  const Region* region_at(uint64_t address) const;
};

// Validates the options (usage errors) and the image's placement (ELF errors).
Layout plan_layout(const ElfImage& image, const LayoutOptions& options);

// Writes page tables, GDT, IDT, control block, engine code, the stack's return address
// and the image (relocated when PIE) into freshly zeroed guest memory. `nx`: mark pages
// that aren't executable with the NX bit (a backend that enables EFER.NXE).
void build_guest_memory(GuestMemory& memory, const Layout& layout, const ElfImage& image, uint64_t seed, bool nx);

// x86-64 entry state shared by every backend (native/README.md, "Entry state").
constexpr uint64_t kEntryCr0 = 0x80050033;  // PG | AM | WP | NE | ET | MP | PE
constexpr uint64_t kEntryCr4 = 0x620;       // OSXMMEXCPT | OSFXSR | PAE
constexpr uint64_t kEntryEfer = 0x500;      // LMA | LME (KVM adds NXE and SCE, 0x801)
// SYSCALL: the kernel's code and stack selectors are the guest's own (it stays at CPL 0),
// LSTAR the engine's -ENOSYS stub until the guest (its libc glue) sets its own handler, and
// only DF masked: a debugger steps on into the handler.
constexpr uint32_t kStarMsr = 0xc0000081, kLstarMsr = 0xc0000082, kSfmaskMsr = 0xc0000084;
constexpr uint64_t kEntryStar = uint64_t(0x08) << 32;
constexpr uint64_t kEntryLstar = MS_NO_SYSCALL_ADDRESS;
constexpr uint64_t kEntrySfmask = 0x400;
constexpr uint64_t kEntryRflags = 0x2;
constexpr uint16_t kCodeSelector = 0x08;
constexpr uint16_t kDataSelector = 0x10;
constexpr uint16_t kTssSelector = 0x18;
constexpr uint64_t kGdtLimit = 5 * 8 - 1;
constexpr uint64_t kIdtLimit = 256 * 16 - 1;
constexpr uint64_t kTssAddress = MS_GDT_ADDRESS + 0x800;

}  // namespace microscope
