#include "layout.h"

#include <algorithm>
#include <cstring>

#include "errors.h"
#include "fault_handlers.h"

namespace microscope {

namespace {

constexpr uint64_t kPage = MS_PAGE_SIZE;
constexpr uint64_t kTwoMiB = 2ull << 20;
constexpr uint64_t kOneGiB = 1ull << 30;
// Below KVM's VMX TSS pages (KVM_SET_TSS_ADDR at 0xfffbd000), which no memory may overlap.
constexpr uint64_t kMaxMemory = 3 * kOneGiB;

std::string mib(uint64_t bytes) {
  return bytes % (1 << 20) == 0 ? std::to_string(bytes >> 20) + " MiB" : std::to_string(bytes >> 10) + " KiB";
}

std::string size_text(uint64_t bytes) {
  return bytes % kOneGiB == 0 ? std::to_string(bytes >> 30) + " GiB" : mib(bytes);
}

uint64_t directory_count(uint64_t memory_size) { return (memory_size + kOneGiB - 1) / kOneGiB; }

// The 2 MiB ranges that need a table of 4 KiB pages: those where a region starts inside
// (its pages don't all share one permission). The first always does: the null page.
// Everything else is a 2 MiB page, so the tables follow the layout's regions, not the
// memory's size.
std::vector<uint64_t> split_ranges(const std::vector<Region>& regions) {
  std::vector<uint64_t> ranges = {0};
  for (const Region& region : regions) {
    const uint64_t range = region.begin / kTwoMiB;
    if (region.begin % kTwoMiB != 0 && range != ranges.back()) ranges.push_back(range);
  }
  return ranges;
}

std::string range_text(uint64_t begin, uint64_t end) { return "[" + hex(begin) + ", " + hex(end) + ")"; }

// Page-table entry bits. Accessed and Dirty are preset everywhere: Unicorn 2.0.1's page
// walker would otherwise write them into the page tables behind the write hook's back.
constexpr uint64_t kPresent = 1, kWritable = 2, kAccessed = 0x20, kDirty = 0x40, kNoExecute = 1ull << 63;

}  // namespace

const Region* Layout::region_at(uint64_t address) const {
  for (const Region& region : regions) {
    if (address >= region.begin && address < region.end) return &region;
  }
  return nullptr;
}

Layout plan_layout(const ElfImage& image, const LayoutOptions& options) {
  if (options.memory_size % kTwoMiB != 0 || options.memory_size < kTwoMiB || options.memory_size > kMaxMemory) {
    throw usage_error("memory size must be a multiple of 2 MiB from 2 MiB to 3 GiB (got " +
                      std::to_string(options.memory_size) + " bytes)");
  }
  if (options.stack_size % kPage != 0 || options.stack_size < 16 * 1024) {
    throw usage_error("stack size must be a multiple of 4 KiB and at least 16 KiB (got " +
                      std::to_string(options.stack_size) + " bytes)");
  }
  if (options.io_buffer_size % kPage != 0 || options.io_buffer_size < kPage) {
    throw usage_error("I/O buffer size must be a multiple of 4 KiB and at least 4 KiB (got " +
                      std::to_string(options.io_buffer_size) + " bytes)");
  }

  Layout layout{};
  layout.memory_size = options.memory_size;
  layout.io_buffer_size = options.io_buffer_size;
  layout.stack_top = options.memory_size;
  if (options.stack_size + kPage >= options.memory_size - MS_IMAGE_BASE) {
    throw usage_error("a stack of " + mib(options.stack_size) + " doesn't fit in " + size_text(options.memory_size) +
                      " of guest memory");
  }
  layout.stack_base = layout.stack_top - options.stack_size;
  const uint64_t guard = layout.stack_base - kPage;
  layout.load_bias = image.position_independent() ? MS_IMAGE_BASE - image.lowest_address() : 0;

  // The image: each segment must land inside [image base, guard page) (below the image
  // base is checked once the engine's regions are placed, to name the one it hits).
  for (const Segment& segment : image.segments()) {
    const uint64_t begin = segment.vaddr + layout.load_bias;
    const uint64_t end = begin + segment.memsz;
    const std::string what = "segment " + std::to_string(segment.index) + " " + range_text(begin, end);
    if (end > options.memory_size) {
      throw elf_error(what + " is outside guest memory (" + size_text(options.memory_size) + ")");
    }
    if (end > guard) {
      throw elf_error(what + " overlaps the stack and its guard page " + range_text(guard, layout.stack_top) +
                      "; give the sandbox more memory or a smaller stack");
    }
  }

  // From the image base up: the image's segments, the heap, the guard page and the stack.
  std::vector<Region> upper;
  uint64_t cursor = MS_IMAGE_BASE;
  const uint64_t first = image.lowest_address() + layout.load_bias;
  if (cursor < first) upper.push_back({"unmapped", cursor, first, 0});
  cursor = first;
  for (const Segment& segment : image.segments()) {
    const uint64_t begin = (segment.vaddr + layout.load_bias) & ~(kPage - 1);
    const uint64_t end = (segment.vaddr + layout.load_bias + segment.memsz + kPage - 1) & ~(kPage - 1);
    if (begin > cursor) upper.push_back({"unmapped", cursor, begin, 0});
    const uint64_t from = std::max(begin, cursor);  // a page shared with the previous segment stays with it
    if (end > from) {
      std::string name = "ELF segment " + std::to_string(segment.index);
      name += (segment.access & kExecute) ? " (code)" : (segment.access & kWrite) ? " (data)" : " (read-only data)";
      upper.push_back({name, from, end, segment.access});
    }
    cursor = std::max(cursor, end);
  }
  layout.image_begin = first;
  layout.image_end = cursor;
  layout.heap_begin = cursor;
  layout.heap_end = guard;
  if (layout.heap_end > layout.heap_begin)
    upper.push_back({"heap", layout.heap_begin, layout.heap_end, kRead | kWrite});
  upper.push_back({"stack guard page", guard, layout.stack_base, 0});
  upper.push_back({"stack", layout.stack_base, layout.stack_top, kRead | kWrite});

  // Below the image base: the engine's regions, the page tables sized by what the regions
  // above need, then the I/O buffers.
  const uint64_t tables = 2 + directory_count(options.memory_size) + split_ranges(upper).size();
  layout.page_tables_end = MS_PAGE_TABLES_ADDRESS + tables * kPage;
  layout.input_buffer = layout.page_tables_end;
  layout.output_buffer = layout.input_buffer + options.io_buffer_size;
  if (options.io_buffer_size > MS_IMAGE_BASE ||
      layout.output_buffer + options.io_buffer_size > MS_ENGINE_CODE_ADDRESS) {
    throw usage_error("I/O buffers of " + mib(options.io_buffer_size) + " each don't fit below the engine code at " +
                      hex(MS_ENGINE_CODE_ADDRESS) + " after " + std::to_string(tables) + " pages of page tables");
  }
  std::vector<Region>& regions = layout.regions;
  regions = {
      {"null page", 0, MS_CONTROL_BLOCK_ADDRESS, 0},
      {"control block", MS_CONTROL_BLOCK_ADDRESS, MS_GDT_ADDRESS, kRead},
      {"GDT", MS_GDT_ADDRESS, MS_IDT_ADDRESS, kRead, true},
      {"IDT", MS_IDT_ADDRESS, MS_FAULT_STACK_ADDRESS, kRead, true},
      {"fault stack", MS_FAULT_STACK_ADDRESS, MS_FAULT_STACK_ADDRESS + MS_FAULT_STACK_SIZE, kRead | kWrite},
      {"unmapped", MS_FAULT_STACK_ADDRESS + MS_FAULT_STACK_SIZE, MS_PAGE_TABLES_ADDRESS, 0},
      // Not mapped at all: the CPU reads them by their physical address, and no address the
      // guest can use reaches them, whatever it does to CR0.WP (on KVM they can't be a
      // read-only slot: a CPU that walks them may ask for write access, see kvm_backend).
      {"page tables", MS_PAGE_TABLES_ADDRESS, layout.page_tables_end, 0, true},
      {"input buffer", layout.input_buffer, layout.output_buffer, kRead},
      {"output buffer", layout.output_buffer, layout.output_buffer + options.io_buffer_size, kRead | kWrite},
  };
  if (layout.output_buffer + options.io_buffer_size < MS_ENGINE_CODE_ADDRESS) {
    regions.push_back({"unmapped", layout.output_buffer + options.io_buffer_size, MS_ENGINE_CODE_ADDRESS, 0});
  }
  regions.push_back({"engine code", MS_ENGINE_CODE_ADDRESS, MS_IMAGE_BASE, kRead | kExecute});
  for (const Segment& segment : image.segments()) {
    const uint64_t begin = segment.vaddr + layout.load_bias, end = begin + segment.memsz;
    if (begin >= MS_IMAGE_BASE) continue;
    const std::string what = "segment " + std::to_string(segment.index) + " " + range_text(begin, end);
    for (const Region& region : regions) {
      if (region.name != "unmapped" && begin < region.end && end > region.begin) {
        throw elf_error(what + " overlaps the engine's " + region.name + " " + range_text(region.begin, region.end) +
                        "; link the guest at " + hex(MS_IMAGE_BASE) + " (the SDK's guest.ld does)");
      }
    }
    throw elf_error(what + " starts below the image base " + hex(MS_IMAGE_BASE) + ", in engine memory");
  }
  regions.insert(regions.end(), upper.begin(), upper.end());
  return layout;
}

void build_guest_memory(GuestMemory& memory, const Layout& layout, const ElfImage& image, uint64_t seed, bool nx) {
  // Page tables: PML4 -> PDPT -> one PD per GiB, identity-mapped. A 2 MiB range whose
  // pages all have the same permissions is one 2 MiB page; the others (split_ranges) get
  // a PT of 4 KiB pages. Unicorn 2.0.1 ignores translation (it uses the virtual address
  // as the physical one), so identity mapping is the only layout both backends agree on.
  const uint64_t pml4 = MS_PAGE_TABLES_ADDRESS, pdpt = pml4 + kPage, pds = pdpt + kPage;
  const uint64_t directories = directory_count(layout.memory_size);
  const uint64_t pts = pds + directories * kPage;
  const uint64_t directory = kPresent | kWritable | kAccessed | kDirty;
  const uint64_t pml4_entry = pdpt | directory;
  memory.write(pml4, &pml4_entry, 8);
  for (uint64_t d = 0; d < directories; ++d) {
    const uint64_t pdpt_entry = (pds + d * kPage) | directory;
    memory.write(pdpt + d * 8, &pdpt_entry, 8);
  }

  // NX only where the backend has it: Unicorn 2.0.1 can't enable EFER.NXE and treats bit
  // 63 as reserved, so the emulated backend checks execute permission itself.
  auto entry_flags = [nx](const Region& region) -> uint64_t {
    if (!region.access) return 0;
    return kPresent | kAccessed | kDirty | ((region.access & kWrite) ? kWritable : 0) |
           (nx && !(region.access & kExecute) ? kNoExecute : 0);
  };
  constexpr uint64_t kLargePage = 0x80;
  const std::vector<uint64_t> split = split_ranges(layout.regions);
  std::vector<uint64_t> directory_entries(layout.memory_size / kTwoMiB, 0);
  size_t next = 0;  // the region that holds the start of range r
  for (uint64_t r = 0; r < directory_entries.size(); ++r) {
    const uint64_t begin = r * kTwoMiB, end = begin + kTwoMiB;
    while (layout.regions[next].end <= begin) ++next;
    const auto table_index = std::find(split.begin(), split.end(), r) - split.begin();
    if (size_t(table_index) == split.size()) {
      const uint64_t flags = entry_flags(layout.regions[next]);
      directory_entries[r] = flags ? begin | flags | kLargePage : 0;
      continue;
    }
    uint64_t table[512];
    for (size_t i = next; i < layout.regions.size() && layout.regions[i].begin < end; ++i) {
      const Region& region = layout.regions[i];
      const uint64_t flags = entry_flags(region);
      for (uint64_t page = std::max(region.begin, begin); page < std::min(region.end, end); page += kPage) {
        table[(page - begin) / kPage] = flags ? page | flags : 0;
      }
    }
    const uint64_t address = pts + uint64_t(table_index) * kPage;
    memory.write(address, table, sizeof table);
    directory_entries[r] = address | directory;
  }
  memory.write(pds, directory_entries.data(), directory_entries.size() * 8);

  // GDT: null, 64-bit code (0x08), data (0x10), 64-bit TSS (0x18, two slots).
  const uint64_t tss_base = kTssAddress, tss_limit = 103;
  const uint64_t gdt[5] = {
      0,
      0x00af9b000000ffffull,
      0x00cf93000000ffffull,
      (tss_limit & 0xffff) | ((tss_base & 0xffffff) << 16) | (0x89ull << 40) | (((tss_base >> 24) & 0xff) << 56),
      tss_base >> 32,
  };
  memory.write(MS_GDT_ADDRESS, gdt, sizeof gdt);
  uint8_t tss[104] = {};
  const uint64_t fault_stack_top = MS_FAULT_STACK_ADDRESS + MS_FAULT_STACK_SIZE;
  std::memcpy(tss + 0x24, &fault_stack_top, 8);  // IST1: the fault stubs' own stack
  const uint16_t no_io_bitmap = sizeof tss;
  std::memcpy(tss + 0x66, &no_io_bitmap, 2);
  memory.write(kTssAddress, tss, sizeof tss);

  write_fault_handlers(memory);

  ms_control_block block{};
  block.magic = MS_CONTROL_BLOCK_MAGIC;
  block.abi_version = MS_ABI_VERSION;
  block.memory_size = layout.memory_size;
  block.image_base = layout.image_begin;
  block.image_end = layout.image_end;
  block.heap_base = layout.heap_begin;
  block.heap_end = layout.heap_end;
  block.stack_base = layout.stack_base;
  block.stack_top = layout.stack_top;
  block.input_buffer = layout.input_buffer;
  block.input_size = layout.io_buffer_size;
  block.output_buffer = layout.output_buffer;
  block.output_size = layout.io_buffer_size;
  block.halt_address = MS_HALT_ADDRESS;
  block.seed = seed;
  memory.write(MS_CONTROL_BLOCK_ADDRESS, &block, sizeof block);

  const uint64_t halt = MS_HALT_ADDRESS;
  memory.write(layout.stack_top - 8, &halt, 8);

  const std::vector<uint8_t>& file = image.file();
  for (const Segment& segment : image.segments()) {
    memory.write(segment.vaddr + layout.load_bias, file.data() + segment.offset, segment.filesz);
  }
  const auto& offsets = image.relative_relocations();
  const auto& addends = image.relocation_addends();
  for (size_t i = 0; i < offsets.size(); ++i) {
    const uint64_t value = uint64_t(addends[i]) + layout.load_bias;
    memory.write(offsets[i] + layout.load_bias, &value, 8);
  }
}

}  // namespace microscope
