#include "unicorn_memory.h"

#include "unicorn_registers.h"

namespace microscope {

UnicornMemory::UnicornMemory(uc_engine* uc, GuestMemory& memory, const Layout& layout) : regions_(layout.regions) {
  struct Run {
    uint64_t begin, end;
    bool writable;
  };
  std::vector<Run> runs;
  for (const Region& region : layout.regions) {
    // What the page tables leave unmapped faults before Unicorn's own check, so it joins
    // whichever run it borders: every extra uc_mem_map_ptr costs about 7.5 µs of a cold
    // start (measured). The page tables themselves are read only by the walker.
    const bool either = !region.access && !region.cpu_tables;
    const bool writable = region.access & kWrite;
    if (!runs.empty() && (either || runs.back().writable == writable))
      runs.back().end = region.end;
    else
      runs.push_back({region.begin, region.end, writable});
  }
  for (const Run& run : runs) {
    const uint32_t protection = run.writable ? UC_PROT_ALL : UC_PROT_READ | UC_PROT_EXEC;
    unicorn_check(uc_mem_map_ptr(uc, run.begin, run.end - run.begin, protection, memory.host() + run.begin),
                  "map guest memory");
  }
  for (const Region& region : layout.regions) {
    if (!(region.access & kExecute)) continue;
    if (!code_.empty() && code_.back().second == region.begin)
      code_.back().second = region.end;
    else
      code_.emplace_back(region.begin, region.end);
  }
}

bool UnicornMemory::executable(uint64_t begin, uint64_t end) const {
  for (const auto& range : code_) {
    if (begin >= range.first && end <= range.second) return true;
  }
  return false;
}

bool UnicornMemory::unmapped(uint64_t address) const {
  for (const Region& region : regions_) {
    if (address >= region.begin && address < region.end) return !region.access;
  }
  return true;
}

}  // namespace microscope
