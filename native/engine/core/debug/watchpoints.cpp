#include "watchpoints.h"

#include <algorithm>

#include "../errors.h"

namespace microscope {

const char* watch_kind_name(WatchKind kind) {
  switch (kind) {
    case WatchKind::Read: return "read";
    case WatchKind::Write: return "write";
    case WatchKind::Access: return "access";
  }
  return "?";
}

void Watchpoints::add(int id, uint64_t address, uint32_t length, WatchKind kind) {
  if (length == 0) throw usage_error("a watchpoint needs at least one byte");
  if (!sandbox_.memory().contains(address, length)) {
    throw usage_error("a watchpoint must be in guest memory: " + sandbox_.memory().describe_range(address, length));
  }
  // Asks the backend now, so that a range it can't watch fails here, not at the run.
  DebugControl control;
  apply(&control);
  control.watches.push_back({address, length, kind != WatchKind::Write, kind != WatchKind::Read});
  Backend& backend = sandbox_.backend();
  backend.set_debug(control);
  backend.set_debug(DebugControl{});
  watchpoints_.push_back({id, address, length, kind});
  snapshot_values();
}

Watchpoint& Watchpoints::find(int id) {
  for (Watchpoint& watch : watchpoints_) {
    if (watch.id == id) return watch;
  }
  throw usage_error("there is no watchpoint " + std::to_string(id));
}

void Watchpoints::remove(int id) {
  find(id);
  watchpoints_.erase(
      std::remove_if(watchpoints_.begin(), watchpoints_.end(), [id](const Watchpoint& w) { return w.id == id; }),
      watchpoints_.end());
  snapshot_values();
}

void Watchpoints::apply(DebugControl* control) const {
  for (const Watchpoint& watch : watchpoints_) {
    if (!watch.enabled) continue;
    control->watches.push_back(
        {watch.address, watch.length, watch.kind != WatchKind::Write, watch.kind != WatchKind::Read});
  }
}

void Watchpoints::snapshot_values() {
  values_.resize(watchpoints_.size());
  for (size_t i = 0; i < watchpoints_.size(); ++i) {
    const Watchpoint& watch = watchpoints_[i];
    const uint8_t* bytes = sandbox_.memory().range(watch.address, watch.length);
    values_[i].assign(bytes, bytes + watch.length);
  }
}

bool Watchpoints::report(WatchReport* report, const std::function<uint64_t(uint64_t)>& instruction_before) {
  const WatchHit& hit = sandbox_.backend().watch_hit();
  size_t index = 0, enabled = 0;
  for (; index < watchpoints_.size(); ++index) {
    if (!watchpoints_[index].enabled) continue;
    if (enabled++ == hit.watch) break;
  }
  if (index == watchpoints_.size()) return false;
  Watchpoint& watch = watchpoints_[index];
  const uint8_t* bytes = sandbox_.memory().range(watch.address, watch.length);
  report->new_value.assign(bytes, bytes + watch.length);
  report->old_value = values_[index];
  report->write = hit.write || (!hit.instruction_known && report->new_value != report->old_value);
  values_[index] = report->new_value;
  if (watch.kind == WatchKind::Read && report->write) return false;
  report->watchpoint = watch.id;
  report->address = hit.address;
  report->size = hit.size;
  report->instruction_known = hit.instruction_known;
  report->instruction = hit.instruction;
  if (!hit.instruction_known) {
    report->instruction = instruction_before(sandbox_.backend().registers().rip);
    report->instruction_known = report->instruction != 0;
  }
  ++watch.hits;
  return true;
}

}  // namespace microscope
