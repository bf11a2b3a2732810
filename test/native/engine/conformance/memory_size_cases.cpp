// Guest memory of 1 GiB and of the largest size, 3 GiB, on both backends: the stack at the
// top, stores that land and read back across the whole heap, the guard page below the
// stack still a fault, and what a sandbox costs (its page tables, the pages a snapshot
// keeps, the pages a restore copies back) following what the guest touched, not the size.
#include "../../../../native/engine/core/errors.h"
#include "../../../../native/include/microscope/abi.h"
#include "harness.h"

namespace conformance {

namespace {

constexpr uint64_t kMiB = 1ull << 20;

Value u64(uint64_t v) { return Value::of_u64(v); }

uint64_t page_table_pages(const Layout& layout) { return (layout.page_tables_end - MS_PAGE_TABLES_ADDRESS) / 4096; }

void one_size(Case& c, uint64_t memory_size, uint64_t small_tables) {
  const std::string size = std::to_string(memory_size / kMiB) + " MiB: ";
  SandboxOptions options;
  options.layout.memory_size = memory_size;
  auto box = c.sandbox("machine", options);
  const Layout& layout = box->layout();
  const uint64_t directories = (memory_size + (1ull << 30) - 1) >> 30;
  // One page directory per GiB more than a 16 MiB sandbox needs, and no more tables.
  c.expect(page_table_pages(layout) == small_tables + directories - 1,
           size + "page tables of " + std::to_string(page_table_pages(layout)) + " pages");
  c.expect(box->snapshots().take() != 0 && box->memory().dirty().pages().empty(), size + "snapshot taken");

  c.expect_value(c.call(*box, "entry_rsp"), std::to_string(memory_size - 8));
  const Value free = c.call(*box, "heap_free").value;
  c.expect(free.u64 > memory_size - 8 * kMiB,
           size + "the heap spans the memory (" + std::to_string(free.u64) + " free)");

  // Stores across the heap, in 2 MiB pages and in the tables' 4 KiB pages, kept by warm calls.
  CallOptions warm;
  warm.restore = false;
  const uint64_t addresses[] = {layout.heap_begin, layout.heap_begin + 3 * kMiB + 8, memory_size / 2,
                                memory_size - 512 * 1024, layout.heap_end - 8};
  uint64_t value = 0x1234567800000000ull;
  for (uint64_t address : addresses) {
    c.expect(c.call(*box, "store", {u64(address), u64(value + address)}, warm).kind == OutcomeKind::Returned,
             size + "store at " + hex(address));
  }
  for (uint64_t address : addresses) {
    c.expect_value(c.call(*box, "load", {u64(address)}, warm), std::to_string(value + address));
    uint64_t host = 0;
    box->memory().read(address, &host, 8);
    c.expect(host == value + address, size + "the host reads the store at " + hex(address));
  }

  // Back to the snapshot: only the pages those calls wrote are copied back.
  const size_t restored = box->snapshots().restore_base();
  c.expect(restored >= 5 && restored <= 16, size + std::to_string(restored) + " pages restored");
  c.expect_value(c.call(*box, "load", {u64(memory_size / 2)}), "0");

  // More pages than KVM's dirty ring holds (4,096): each one written is still found, and
  // put back by the restore.
  const uint32_t many = 10000;
  const CallOutcome touched = c.call(*box, "touch_pages", {Value::of_u32(many)}, warm);
  c.expect(touched.kind == OutcomeKind::Returned, size + "touch_pages: " + describe(touched));
  box->backend().collect_dirty_pages();
  const uint64_t first = touched.value.u64 / 4096;
  size_t found = 0;
  for (uint64_t page = first; page < first + many; ++page) found += box->memory().dirty().contains(page);
  c.expect(found == many, size + std::to_string(found) + " of " + std::to_string(many) + " written pages found dirty");
  const size_t put_back = box->snapshots().restore_base();
  c.expect(put_back >= many && put_back <= many + 16,
           size + std::to_string(put_back) + " pages restored after touch_pages");
  uint8_t byte = 1;
  box->memory().read(touched.value.u64 + (many - 1) * 4096 + 100, &byte, 1);
  c.expect(byte == 0, size + "the last touched page is back to zero");

  c.expect_fault(c.call(*box, "store", {u64(layout.stack_base - 8), u64(1)}), "#PF", "store");
  c.expect_fault(c.call(*box, "load", {u64(memory_size)}), "#PF", "load");
}

void memory_sizes(Case& c) {
  auto small = c.sandbox("machine");
  const uint64_t small_tables = page_table_pages(small->layout());
  c.expect(small_tables <= 6, "a 16 MiB sandbox has " + std::to_string(small_tables) + " pages of page tables");
  one_size(c, 1ull << 30, small_tables);
  one_size(c, 3ull << 30, small_tables);
}

}  // namespace

std::vector<CaseDefinition> memory_size_cases() { return {{"memory sizes", memory_sizes}}; }

}  // namespace conformance
