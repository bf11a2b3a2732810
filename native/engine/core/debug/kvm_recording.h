// A call recorded on KVM, the way rr records a process and then replays it: the call
// runs on KVM to its end, making its host calls there, and their replies and the state it
// ended in are kept. The debugger then replays it on the sandbox's emulated twin
// (../emulated_twin.h), which counts instructions, answering its host calls with KVM's
// replies, and checks that the replay ends as the call did on KVM: the same outcome and
// output, general and SSE registers, and every byte of memory. Where they differ, there
// is no recording, and the error says where.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "../sandbox.h"
#include "recording.h"

namespace microscope {

struct KvmRun {
  std::deque<GivenReply> replies;
  CallOutcome outcome;
  Registers registers{};
  SseRegisters sse{};
  std::vector<uint32_t> pages;    // written by the call, sorted
  std::vector<uint8_t> contents;  // 4 KiB each, as the call left them
};

// Runs the call the sandbox has begun to its end on the sandbox's own backend, and
// finishes it. A usage error when it was paused or cancelled before it ended: where
// that was can't be told, so the replay couldn't end there.
KvmRun run_to_end_on_own_backend(Sandbox& sandbox);

// After the twin's replay of `run` ended (before the sandbox finishes the call): where
// it differs from the call on KVM, or "" when nowhere.
std::string replay_difference(const KvmRun& run, Sandbox& sandbox, const Recording& recording);

}  // namespace microscope
