#include "exact_profiler.h"

#include <map>

#include "../../../include/microscope/abi.h"
#include "../errors.h"
#include "block_code.h"

namespace microscope {

void ExactProfiler::attach(Sandbox& sandbox) {
  if (!sandbox.backend().observe_blocks(this)) {
    throw usage_error(std::string("an exact CPU profile needs the emulated backend, which sees every block the guest "
                                  "runs; on ") +
                      sandbox.backend_name() + " profiles are sampled");
  }
  followers_[&sandbox] = std::make_unique<CallFollower>(sandbox);
  if (!debug_info_) {
    debug_info_ = std::make_unique<DebugInfo>(sandbox.image().file(), sandbox.layout().load_bias);
    call_sites_ = std::make_unique<CallSites>(sandbox, *debug_info_);
  }
}

void ExactProfiler::detach(Sandbox& sandbox) {
  sandbox.backend().observe_blocks(nullptr);
  const auto it = followers_.find(&sandbox);
  if (it == followers_.end()) return;
  if (follower_ == it->second.get()) follower_ = nullptr;
  followers_.erase(it);
}

void ExactProfiler::call_began(Sandbox& sandbox) {
  if (follower_) follower_->close_all(*this);
  const auto it = followers_.find(&sandbox);
  follower_ = it == followers_.end() ? nullptr : it->second.get();
  path_.assign(1, 0);
  ++calls_;
}

void ExactProfiler::on_block(uint64_t address, uint32_t size, Backend& backend) {
  if (!follower_) return;  // not in a call (the sandbox's init)
  follower_->on_block(address, backend, *this);
  ++blocks_[BlockKey{address, path_.back(), size}];
}

void ExactProfiler::entered(const CallFollower::OpenFrame& frame) {
  const uint32_t parent = path_.back();
  const uint64_t site = call_sites_->canonical(frame.return_address);
  const auto found = children_.find(PathKey{parent, frame.symbol, site});
  if (found != children_.end()) {
    path_.push_back(found->second);
  } else if (nodes_.size() < kMaxNodes) {
    const uint32_t node = uint32_t(nodes_.size());
    nodes_.push_back(Node{parent, frame.symbol, site});
    children_.emplace(PathKey{parent, frame.symbol, site}, node);
    path_.push_back(node);
  } else {
    truncated_ = true;
    path_.push_back(parent);
  }
}

void ExactProfiler::leaving() {
  if (path_.size() > 1) path_.pop_back();
}

CpuProfile ExactProfiler::collect(const GuestMemory& memory) const {
  CpuProfile profile;
  profile.kind = CpuProfile::Kind::Exact;
  profile.calls = calls_;
  profile.truncated = truncated_;
  // Each block's instructions, decoded once whatever paths it ran in.
  Disassembler disassembler;
  std::map<std::pair<uint64_t, uint32_t>, std::vector<uint64_t>> decoded;
  auto instructions = [&](uint64_t address, uint32_t size) -> const std::vector<uint64_t>& {
    auto [it, fresh] = decoded.try_emplace({address, size});
    if (fresh) it->second = block_instructions(memory, disassembler, address, size);
    return it->second;
  };
  std::map<std::pair<uint32_t, uint64_t>, uint64_t> counts;  // (path, instruction) -> times run
  for (const auto& [key, count] : blocks_) {
    for (uint64_t instruction : instructions(key.address, key.size)) counts[{key.node, instruction}] += count;
  }
  profile.stacks.reserve(counts.size());
  for (const auto& [key, count] : counts) {
    ProfileStack stack;
    stack.count = count;
    stack.addresses.push_back(key.second);
    for (uint32_t node = key.first; node != 0; node = nodes_[node].parent) {
      // The outermost frame returns to the engine's halt stub, which is no caller.
      if (nodes_[node].parent != 0 || nodes_[node].return_address != MS_HALT_ADDRESS)
        stack.addresses.push_back(nodes_[node].return_address);
    }
    profile.stacks.push_back(std::move(stack));
  }
  return profile;
}

}  // namespace microscope
