#include "snapshots.h"

#include <algorithm>
#include <cstring>

#include "emulated_twin.h"
#include "errors.h"

namespace microscope {

Snapshots::Snapshots(GuestMemory& memory, Backend& backend)
    : memory_(memory), backend_(&backend), touched_(memory.page_count()) {}

uint64_t Snapshots::take() {
  backend_->collect_dirty_pages();
  touched_.merge(memory_.dirty());
  memory_.dirty().clear();

  Snapshot snapshot;
  snapshot.pages = touched_.pages();
  std::sort(snapshot.pages.begin(), snapshot.pages.end());
  snapshot.contents.resize(snapshot.pages.size() * MS_PAGE_SIZE);
  for (size_t i = 0; i < snapshot.pages.size(); ++i) {
    std::memcpy(&snapshot.contents[i * MS_PAGE_SIZE], memory_.host() + uint64_t(snapshot.pages[i]) * MS_PAGE_SIZE,
                MS_PAGE_SIZE);
  }
  snapshot.cpu = backend_->save_cpu();
  const uint64_t id = next_id_++;
  snapshots_.emplace(id, std::move(snapshot));
  base_id_ = id;
  return id;
}

void Snapshots::move_cpu_states(Backend& from, Backend& to, void (*check)(const SpecialRegisters&)) {
  // Every state in `to`'s form first, so that one it can't take changes none.
  std::map<uint64_t, std::unique_ptr<CpuState>> moved;
  for (auto& [id, snapshot] : snapshots_) {
    if (snapshot.other && snapshot.other_is_for == &to) continue;
    from.restore_cpu(*snapshot.cpu);
    if (check) check(from.special_registers());
    copy_cpu(from, to);
    moved[id] = to.save_cpu();
  }
  for (auto& [id, snapshot] : snapshots_) {
    if (snapshot.other && snapshot.other_is_for == &to) {
      std::swap(snapshot.cpu, snapshot.other);
    } else {
      snapshot.other = std::move(snapshot.cpu);
      snapshot.cpu = std::move(moved[id]);
    }
    snapshot.other_is_for = &from;
  }
  backend_ = &to;
}

const Snapshots::Snapshot& Snapshots::find(uint64_t id) const {
  auto it = snapshots_.find(id);
  if (it == snapshots_.end()) throw usage_error("no snapshot " + std::to_string(id) + " in this sandbox");
  return it->second;
}

const uint8_t* Snapshots::page_in(const Snapshot& snapshot, uint32_t page) {
  auto it = std::lower_bound(snapshot.pages.begin(), snapshot.pages.end(), page);
  if (it == snapshot.pages.end() || *it != page) return nullptr;
  return &snapshot.contents[size_t(it - snapshot.pages.begin()) * MS_PAGE_SIZE];
}

void Snapshots::restore_page(const Snapshot& snapshot, uint32_t page) {
  uint8_t* target = memory_.host() + uint64_t(page) * MS_PAGE_SIZE;
  if (const uint8_t* saved = page_in(snapshot, page)) {
    std::memcpy(target, saved, MS_PAGE_SIZE);
  } else {
    std::memset(target, 0, MS_PAGE_SIZE);  // never written when the snapshot was taken
  }
  backend_->code_rewritten(uint64_t(page) * MS_PAGE_SIZE, uint64_t(page + 1) * MS_PAGE_SIZE);
}

size_t Snapshots::restore(uint64_t id) {
  const Snapshot& snapshot = find(id);
  backend_->collect_dirty_pages();
  PageSet& dirty = memory_.dirty();
  size_t restored;
  if (id == base_id_) {
    // Memory equals the base except where written since: copy back only those pages.
    for (uint32_t page : dirty.pages()) restore_page(snapshot, page);
    restored = dirty.pages().size();
    touched_.merge(dirty);
  } else {
    // Another snapshot may differ from the base anywhere the guest ever wrote.
    touched_.merge(dirty);
    for (uint32_t page : touched_.pages()) restore_page(snapshot, page);
    restored = touched_.pages().size();
  }
  dirty.clear();
  backend_->restore_cpu(*snapshot.cpu);
  base_id_ = id;
  return restored;
}

void Snapshots::read(uint64_t id, uint64_t address, uint8_t* out, uint64_t length) const {
  const Snapshot& snapshot = find(id);
  while (length) {
    const uint32_t page = uint32_t(address / MS_PAGE_SIZE);
    const uint64_t offset = address % MS_PAGE_SIZE;
    const uint64_t chunk = std::min<uint64_t>(length, MS_PAGE_SIZE - offset);
    if (const uint8_t* saved = page_in(snapshot, page)) {
      std::memcpy(out, saved + offset, chunk);
    } else {
      std::memset(out, 0, chunk);
    }
    out += chunk;
    address += chunk;
    length -= chunk;
  }
}

std::vector<PageDifference> Snapshots::compare(uint64_t a, uint64_t b) {
  const Snapshot& first = find(a);
  const Snapshot* second = b ? &find(b) : nullptr;
  // Only pages ever written can differ: the rest are zero in both.
  backend_->collect_dirty_pages();
  PageSet candidates(memory_.page_count());
  candidates.merge(touched_);
  candidates.merge(memory_.dirty());
  std::vector<uint32_t> pages = candidates.pages();
  std::sort(pages.begin(), pages.end());
  static const uint8_t kZero[MS_PAGE_SIZE] = {};
  std::vector<PageDifference> differences;
  for (uint32_t page : pages) {
    const uint8_t* left = page_in(first, page);
    const uint8_t* right = second ? page_in(*second, page) : memory_.host() + uint64_t(page) * MS_PAGE_SIZE;
    if (!left) left = kZero;
    if (!right) right = kZero;
    if (std::memcmp(left, right, MS_PAGE_SIZE) == 0) continue;
    PageDifference difference{page, {}};
    for (uint32_t i = 0; i < MS_PAGE_SIZE;) {
      if (left[i] == right[i]) {
        ++i;
        continue;
      }
      const uint32_t start = i;
      while (i < MS_PAGE_SIZE && left[i] != right[i]) ++i;
      difference.runs.emplace_back(start, i - start);
    }
    differences.push_back(std::move(difference));
  }
  return differences;
}

void Snapshots::drop(uint64_t id) {
  find(id);
  if (id == base_id_) {
    throw usage_error("snapshot " + std::to_string(id) +
                      " is the one calls restore before they run; take or restore another first");
  }
  snapshots_.erase(id);
}

}  // namespace microscope
