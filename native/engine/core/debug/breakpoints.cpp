#include "breakpoints.h"

#include <algorithm>

#include "../errors.h"

namespace microscope {

void Breakpoints::add(int id, const std::vector<uint64_t>& addresses, const BreakpointOptions& options,
                      const std::function<TypeTable&()>& types) {
  if (addresses.empty()) throw usage_error("a breakpoint needs an address");
  for (uint64_t address : addresses) {
    const Region* region = sandbox_.layout().region_at(address);
    if (!region || !(region->access & kExecute)) {
      throw usage_error("a breakpoint needs code: " + hex(address) + " is " +
                        (region ? "in " + region->name : std::string("outside guest memory")));
    }
  }
  Breakpoint breakpoint{id, addresses,
                        options.condition.empty() ? Condition() : Condition::parse(options.condition, types()),
                        HitCondition::parse(options.hit_condition),
                        options.log_message.empty() ? LogMessage() : LogMessage::parse(options.log_message, types())};
  std::sort(breakpoint.addresses.begin(), breakpoint.addresses.end());
  breakpoint.addresses.erase(std::unique(breakpoint.addresses.begin(), breakpoint.addresses.end()),
                             breakpoint.addresses.end());
  breakpoints_.push_back(std::move(breakpoint));
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
    if (breakpoint.enabled) addresses.insert(addresses.end(), breakpoint.addresses.begin(), breakpoint.addresses.end());
  }
  if (extra) addresses.push_back(extra);
  std::sort(addresses.begin(), addresses.end());
  addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
  return addresses;
}

namespace {

bool covers(const Breakpoint& b, uint64_t address) {
  return b.enabled && std::binary_search(b.addresses.begin(), b.addresses.end(), address);
}

}  // namespace

bool Breakpoints::any_at(uint64_t address) const {
  return std::any_of(breakpoints_.begin(), breakpoints_.end(),
                     [address](const Breakpoint& b) { return covers(b, address); });
}

BreakpointHit Breakpoints::hit_at(uint64_t address, const std::function<const FrameContext&()>& frame) {
  BreakpointHit hit;
  for (Breakpoint& breakpoint : breakpoints_) {
    if (!covers(breakpoint, address)) continue;
    std::string error;
    if (!breakpoint.condition.always() && !breakpoint.condition.holds(frame(), &error)) continue;
    if (!error.empty()) {
      // It stops, so that the user sees why the condition can't be told.
      hit.logs.push_back({breakpoint.id, "breakpoint " + std::to_string(breakpoint.id) +
                                             ": its condition can't be evaluated here: " + error});
      ++breakpoint.hits;
      if (!hit.stop) hit.stop = breakpoint.id;
      continue;
    }
    ++breakpoint.hits;
    if (!breakpoint.hit_condition.holds(breakpoint.hits)) continue;
    if (!breakpoint.log_message.empty()) {
      hit.logs.push_back({breakpoint.id, breakpoint.log_message.render(frame())});
      continue;
    }
    if (!hit.stop) hit.stop = breakpoint.id;
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
