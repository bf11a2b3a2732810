#include "breakpoints.h"

#include <algorithm>

#include "../errors.h"

namespace microscope {

void Breakpoints::add(int id, uint64_t address, const std::string& condition) {
  const Region* region = sandbox_.layout().region_at(address);
  if (!region || !(region->access & kExecute)) {
    throw usage_error("a breakpoint needs code: " + hex(address) + " is " +
                      (region ? "in " + region->name : std::string("outside guest memory")));
  }
  breakpoints_.push_back({id, address, condition.empty() ? Condition() : Condition::parse(condition)});
}

Breakpoint& Breakpoints::find(int id) {
  for (Breakpoint& breakpoint : breakpoints_) {
    if (breakpoint.id == id) return breakpoint;
  }
  throw usage_error("there is no breakpoint " + std::to_string(id));
}

void Breakpoints::remove(int id) {
  find(id);  // throws when there is none
  breakpoints_.erase(
      std::remove_if(breakpoints_.begin(), breakpoints_.end(), [id](const Breakpoint& b) { return b.id == id; }),
      breakpoints_.end());
}

std::vector<uint64_t> Breakpoints::addresses(uint64_t extra) const {
  std::vector<uint64_t> addresses;
  for (const Breakpoint& breakpoint : breakpoints_) {
    if (breakpoint.enabled) addresses.push_back(breakpoint.address);
  }
  if (extra) addresses.push_back(extra);
  std::sort(addresses.begin(), addresses.end());
  addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
  return addresses;
}

bool Breakpoints::any_at(uint64_t address) const {
  return std::any_of(breakpoints_.begin(), breakpoints_.end(),
                     [address](const Breakpoint& b) { return b.enabled && b.address == address; });
}

int Breakpoints::hit_at(uint64_t address, const Registers& registers) {
  int hit = 0;
  for (Breakpoint& breakpoint : breakpoints_) {
    if (!breakpoint.enabled || breakpoint.address != address || !breakpoint.condition.holds(registers)) continue;
    ++breakpoint.hits;
    if (!hit) hit = breakpoint.id;
  }
  return hit;
}

void Breakpoints::insert(const std::vector<uint64_t>& addresses) {
  GuestMemory& memory = sandbox_.memory();
  for (uint64_t address : addresses) {
    uint8_t* byte = memory.host() + address;  // checked: breakpoints are in code
    inserted_.emplace_back(address, *byte);
    *byte = 0xcc;  // int3; not a change the snapshots should see: it goes before the run ends
    sandbox_.backend().code_rewritten(address, address + 1);
  }
}

void Breakpoints::take_out() {
  GuestMemory& memory = sandbox_.memory();
  for (auto it = inserted_.rbegin(); it != inserted_.rend(); ++it) {
    memory.host()[it->first] = it->second;
    sandbox_.backend().code_rewritten(it->first, it->first + 1);
  }
  inserted_.clear();
}

}  // namespace microscope
