#include "emulated_twin.h"

#include <cstring>

#include "../../include/microscope/abi.h"

namespace microscope {

namespace {

constexpr uint64_t kNoExecute = 1ull << 63;
constexpr uint64_t kPage = 4096;

}  // namespace

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
  if (!held_) held_ = create_emulated_backend(memory_, layout_);
  std::vector<CpuidEntry> cpuid;
  held_->answer_cpuid(own.cpuid_table(&cpuid) ? &cpuid : nullptr);
  const std::unique_ptr<CpuState> now = own.save_cpu();
  snapshots.move_cpu_states(own, *held_);
  own.restore_cpu(*now);
  copy_cpu(own, *held_);
  std::swap(active, held_);
  entered_ = true;
}

void EmulatedTwin::leave(std::unique_ptr<Backend>& active, Snapshots& snapshots) {
  if (!entered_) return;
  Backend& twin = *active;
  Backend& own = *held_;
  twin.collect_dirty_pages();
  const std::unique_ptr<CpuState> now = twin.save_cpu();
  snapshots.move_cpu_states(twin, own);
  twin.restore_cpu(*now);
  copy_cpu(twin, own);
  std::memcpy(memory_.host() + MS_PAGE_TABLES_ADDRESS, page_tables_.data(), page_tables_.size());
  std::swap(active, held_);
  entered_ = false;
}

}  // namespace microscope
