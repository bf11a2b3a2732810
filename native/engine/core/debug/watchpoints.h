// A debugger's watchpoints: the ranges watched and how, the values they held at the last
// stop, and what an access the backend stopped at (a WatchHit) was: the report a stop
// carries.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "../sandbox.h"

namespace microscope {

enum class WatchKind { Read, Write, Access };
const char* watch_kind_name(WatchKind kind);

struct Watchpoint {
  int id;
  uint64_t address;
  uint32_t length;
  WatchKind kind;
  bool enabled = true;
  uint64_t hits = 0;
};

struct WatchReport {
  int watchpoint = 0;
  bool instruction_known = false;  // the instruction that made the access
  uint64_t instruction = 0;
  uint64_t address = 0;  // of the access (KVM: of the watched piece it touched)
  uint32_t size = 0;
  bool write = false;
  std::vector<uint8_t> old_value, new_value;  // the whole watched range, before and after
};

class Watchpoints {
 public:
  explicit Watchpoints(Sandbox& sandbox) : sandbox_(sandbox) {}

  // Throws a usage error for a range outside guest memory or one the backend can't watch.
  void add(int id, uint64_t address, uint32_t length, WatchKind kind);
  void enable(int id, bool enabled) { find(id).enabled = enabled; }
  void remove(int id);
  const std::vector<Watchpoint>& list() const { return watchpoints_; }
  // Their hit counts, in list() order, and put back: a search of the recorded past
  // (time_travel.cpp) passes them without adding to the counts.
  std::vector<uint64_t> hit_counts() const {
    std::vector<uint64_t> counts;
    for (const auto& each : watchpoints_) counts.push_back(each.hits);
    return counts;
  }
  void set_hit_counts(const std::vector<uint64_t>& counts) {
    for (size_t i = 0; i < counts.size() && i < watchpoints_.size(); ++i) watchpoints_[i].hits = counts[i];
  }

  // The enabled ones, for the backend's runs.
  void apply(DebugControl* control) const;
  // Takes the watched values as they are now: a stop's "before" for the next one.
  void snapshot_values();
  // Fills `report` for the backend's watch hit; false when the hit is not one to stop at
  // (KVM can't watch reads alone: a read watchpoint also fires on writes).
  // `instruction_before` finds the instruction that ends at an address, for a backend
  // that stopped after the access.
  bool report(WatchReport* report, const std::function<uint64_t(uint64_t)>& instruction_before);

 private:
  Watchpoint& find(int id);

  Sandbox& sandbox_;
  std::vector<Watchpoint> watchpoints_;
  std::vector<std::vector<uint8_t>> values_;  // per watchpoint, as of the last stop
};

}  // namespace microscope
