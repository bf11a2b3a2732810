// The exact CPU profile, on the emulated backend: every translated block the guest enters
// is counted against the call path it runs in (call paths followed from the blocks, as
// the call trace follows them: debug/call_follower.h; calls from one line are one place
// in a path: call_sites.h), and the blocks are decoded into
// instructions once, at the end. Counting a block costs a hash lookup; no instruction
// is hooked. A block a fault cuts short counts whole.
#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

#include "../debug/call_follower.h"
#include "../debug/debug_info.h"
#include "call_sites.h"
#include "cpu_profile.h"

namespace microscope {

class ExactProfiler final : public ProfileRecorder, private BlockObserver, private CallFollower::Listener {
 public:
  ExactProfiler() = default;
  ExactProfiler(const ExactProfiler&) = delete;
  ExactProfiler& operator=(const ExactProfiler&) = delete;

  void attach(Sandbox& sandbox) override;
  void detach(Sandbox& sandbox) override;
  void call_began(Sandbox& sandbox) override;
  void sample(Sandbox& /*sandbox*/) override {}

  CpuProfile collect(const GuestMemory& memory) const override;

 private:
  // A call path: the one it was called from, the function, and where it returns to (one
  // return address per line: call_sites.h).
  struct Node {
    uint32_t parent;
    uint32_t symbol;
    uint64_t return_address;
  };
  struct PathKey {
    uint32_t parent, symbol;
    uint64_t return_address;
    bool operator==(const PathKey& o) const {
      return parent == o.parent && symbol == o.symbol && return_address == o.return_address;
    }
  };
  struct BlockKey {
    uint64_t address;
    uint32_t node, size;
    bool operator==(const BlockKey& o) const { return address == o.address && node == o.node && size == o.size; }
  };
  struct Hash {
    size_t operator()(const PathKey& k) const {
      return std::hash<uint64_t>()(k.return_address * 0x9e3779b97f4a7c15ull ^ (uint64_t(k.parent) << 32 | k.symbol));
    }
    size_t operator()(const BlockKey& k) const {
      return std::hash<uint64_t>()(k.address * 0x9e3779b97f4a7c15ull ^ (uint64_t(k.node) << 32 | k.size));
    }
  };
  // Enough for any real program's call paths (a recursion makes one per call); past it,
  // deeper calls count against their caller's path and the profile says it is truncated.
  static constexpr size_t kMaxNodes = 1 << 22;

  void on_block(uint64_t address, uint32_t size, Backend& backend) override;
  void entered(const CallFollower::OpenFrame& frame) override;
  void leaving() override;

  // One per sandbox attached (a cold call's own, the one it was measured from), each over
  // its sandbox's memory; `follower_` is the one running a call.
  std::unordered_map<const Sandbox*, std::unique_ptr<CallFollower>> followers_;
  CallFollower* follower_ = nullptr;
  std::unique_ptr<DebugInfo> debug_info_;  // the first sandbox's image; all share it
  std::unique_ptr<CallSites> call_sites_;
  std::vector<Node> nodes_{Node{0, UINT32_MAX, 0}};  // 0: the root, outside any function
  std::unordered_map<PathKey, uint32_t, Hash> children_;
  std::unordered_map<BlockKey, uint64_t, Hash> blocks_;
  std::vector<uint32_t> path_{0};  // the node of each open frame, and the root
  uint64_t calls_ = 0;
  bool truncated_ = false;
};

}  // namespace microscope
