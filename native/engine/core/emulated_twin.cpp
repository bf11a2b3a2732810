#include "emulated_twin.h"

#include <cstring>

#include "../../include/microscope/abi.h"
#include "errors.h"

namespace microscope {

namespace {

constexpr uint64_t kNoExecute = 1ull << 63;
constexpr uint64_t kPage = 4096;

}  // namespace

void check_twin_can_take(const SpecialRegisters& s) {
  // Unicorn loads a segment register from the GDT as it is written: a descriptor it can't
  // load would raise an exception outside any run, which Unicorn can't survive. The
  // engine's tables and selectors are what the twin takes; a guest that loaded its own
  // (on KVM, lgdt and mov to a segment register run) can't be replayed.
  const auto data = [](const SegmentRegister& r) { return r.selector == kDataSelector || r.selector == 0; };
  const bool engine_tables = s.gdt.base == MS_GDT_ADDRESS && s.gdt.limit == kGdtLimit;
  if (!engine_tables || s.cs.selector != kCodeSelector || !data(s.ss) || !data(s.ds) || !data(s.es) || !data(s.fs) ||
      !data(s.gs)) {
    throw usage_error("the guest loaded descriptor tables or segments of its own (GDTR " + hex(s.gdt.base) + ", CS " +
                      hex(s.cs.selector) + ", SS " + hex(s.ss.selector) +
                      "): the emulated backend can't take that state, so the call can't be replayed there");
  }
}

void copy_cpu(Backend& from, Backend& to) {
  to.set_registers(from.registers());
  SpecialRegisters special = from.special_registers();
  const SpecialRegisters own = to.special_registers();
  special.cr0 = own.cr0;
  special.cr4 = own.cr4;
  special.efer = own.efer;
  to.set_special_registers(special);
  to.set_sse_registers(from.sse_registers());
}

EmulatedTwin::EmulatedTwin(GuestMemory& memory, const Layout& layout) : memory_(memory), layout_(layout) {}

void EmulatedTwin::enter(std::unique_ptr<Backend>& active, Snapshots& snapshots) {
  if (entered_) return;
  Backend& own = *active;
  own.collect_dirty_pages();  // what it wrote goes back at the next restore, whoever runs then
  // KVM can report the page tables written (the CPU's walk may set accessed and dirty bits,
  // which the engine sets in advance): restored, they would get their NX bits back.
  memory_.dirty().remove(MS_PAGE_TABLES_ADDRESS / kPage, layout_.page_tables_end / kPage);
  // The page tables first: Unicorn walks them as soon as a segment register is loaded,
  // and a reserved bit there would be a #PF raised outside any run. They are the engine's
  // (the guest can't address them): written untracked, put back as they were by leave().
  uint8_t* tables = memory_.host() + MS_PAGE_TABLES_ADDRESS;
  const size_t size = layout_.page_tables_end - MS_PAGE_TABLES_ADDRESS;
  page_tables_.assign(tables, tables + size);
  for (size_t at = 0; at + 8 <= size; at += 8) {
    uint64_t entry;
    std::memcpy(&entry, tables + at, 8);
    entry &= ~kNoExecute;
    std::memcpy(tables + at, &entry, 8);
  }
  const std::unique_ptr<CpuState> now = own.save_cpu();
  bool moved = false;
  try {
    if (!held_) held_ = create_emulated_backend(memory_, layout_);
    std::vector<CpuidEntry> cpuid;
    held_->answer_cpuid(own.cpuid_table(&cpuid) ? &cpuid : nullptr);
    snapshots.move_cpu_states(own, *held_, check_twin_can_take);  // all or none
    moved = true;
    own.restore_cpu(*now);
    // The state a call left can be one the twin can't take (its own GDT, say), and needn't
    // be: the twin always begins a call next, from a snapshot, which the engine's entry
    // state holds.
    bool takes = true;
    try {
      check_twin_can_take(own.special_registers());
    } catch (const EngineError&) {
      takes = false;
    }
    if (takes) copy_cpu(own, *held_);
  } catch (...) {
    if (moved) snapshots.move_cpu_states(*held_, own);
    own.restore_cpu(*now);
    std::memcpy(tables, page_tables_.data(), size);
    throw;
  }
  std::swap(active, held_);
  entered_ = true;
}

void EmulatedTwin::leave(std::unique_ptr<Backend>& active, Snapshots& snapshots) {
  if (!entered_) return;
  Backend& twin = *active;
  Backend& own = *held_;
  twin.collect_dirty_pages();
  const std::unique_ptr<CpuState> now = twin.save_cpu();
  snapshots.move_cpu_states(twin, own);  // all or none: a throw here changes nothing
  // The sandbox's own backend is back from here, whatever fails after.
  std::memcpy(memory_.host() + MS_PAGE_TABLES_ADDRESS, page_tables_.data(), page_tables_.size());
  std::swap(active, held_);
  entered_ = false;
  twin.restore_cpu(*now);
  copy_cpu(twin, own);
}

}  // namespace microscope
