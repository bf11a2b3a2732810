// The recording of one debugged call, for going back in it (time_travel.cpp): positions
// are exact instruction counts from the call's first instruction (the backend counts
// them), and what the guest can't compute itself is logged at its position (the host's
// replies, the SDK's clock and random bytes), so a replay from the call's start computes
// the same registers and memory at every position. Checkpoints every
// `checkpoint_interval` instructions keep the vCPU and the pages written since the one
// before, so going anywhere costs a restore and at most one interval's replay.
//
// Bounded: past `size_limit` bytes the oldest checkpoints are folded into the base (what
// the earliest one left holds), and positions before it can no longer be reached.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "../sandbox.h"

namespace microscope {

struct RecordingOptions {
  uint64_t checkpoint_interval = 200'000;  // instructions
  uint64_t size_limit = 512ull << 20;      // bytes of checkpoints and log
};

// A position of note, for the timeline: a host call, a breakpoint or watchpoint that
// stopped the call, a fault.
struct RecordedEvent {
  enum Kind { HostCall, Breakpoint, Watchpoint, Fault };
  Kind kind;
  uint64_t position;
  int id = 0;            // a breakpoint's or watchpoint's
  std::string function;  // a host call's
};

// A host function's reply to a call made on another backend, in the order they came.
struct GivenReply {
  std::string function;
  HostReply reply;
};

class Recording final : public CallRecorder, public CpuInputLog {
 public:
  // At the first instruction of a call the sandbox has begun (position 0). On the
  // sandbox's emulated twin, `given` are the replies the call got on the sandbox's own
  // backend (kvm_recording.h): the twin's run is answered with them, in order, and goes
  // back to the twin whenever it is attached again.
  Recording(Sandbox& sandbox, const RecordingOptions& options, std::deque<GivenReply> given = {});
  ~Recording() override;
  Recording(const Recording&) = delete;
  Recording& operator=(const Recording&) = delete;

  // The earliest position still held (0 until the oldest part is dropped) and the
  // furthest reached: before it the call is replayed, from it on it runs live.
  uint64_t start() const { return checkpoints_.front().position; }
  uint64_t end() const { return end_; }
  void reached(uint64_t position) {
    if (position > end_) end_ = position;
  }
  bool dropped() const { return dropped_; }  // the oldest part went, for the size limit
  uint64_t bytes() const { return bytes_; }
  size_t checkpoint_count() const { return checkpoints_.size(); }
  const RecordingOptions& options() const { return options_; }

  // Where the next checkpoint is due: a block start at or past it, when live.
  uint64_t checkpoint_due() const { return checkpoints_.back().position + options_.checkpoint_interval; }
  // Between runs, at `position`: the vCPU and the pages written since the last checkpoint.
  void checkpoint(uint64_t position);
  // Puts guest memory and the vCPU as they were at the latest checkpoint at or before
  // `position` (and the sandbox's call running again from there); returns its position.
  uint64_t restore(uint64_t position);
  // The position of the latest checkpoint at or before `position`.
  uint64_t checkpoint_before(uint64_t position) const { return checkpoint_at(position).position; }
  // The first checkpoint after `position`, or the end: where its segment ends.
  uint64_t segment_end(uint64_t position) const;

  // While its call runs: the sandbox logs host calls here, the backend counts
  // instructions and the pages written come here too. Detached when the call ends, so
  // the sandbox's other calls run as ever; attached again to go back into it. A usage
  // error when the sandbox's snapshot has changed since.
  void attach();
  void detach();
  bool attached() const { return attached_; }
  // Which checkpoints' segments (each from its position to the next's) wrote `page`,
  // latest first, as positions: where a last-write search replays. The live segment's
  // pages count as written after the last checkpoint.
  std::vector<uint64_t> segments_writing(uint32_t page) const;

  // Everything recorded after `position` is forgotten: the guest's state was changed
  // there by hand (or the call goes a new way), so the future recorded is not its future.
  void truncate(uint64_t position);

  // The call ended at end(); `cancelled`: cancelled there (a replay that gets there is
  // cancelled too, rather than running on).
  bool ended() const { return ended_; }
  bool cancelled() const { return ended_ && cancelled_; }
  void end_call(bool cancelled) {
    ended_ = true;
    cancelled_ = cancelled;
  }

  // Made on the emulated twin from a call on another backend.
  bool on_twin() const { return on_twin_; }
  // On the twin: the first position where the guest read the time stamp counter or the
  // random number generator, which KVM doesn't show the host, so the twin's values are
  // not the ones the call got there (kNoPosition: none).
  uint64_t unlogged_input() const { return unlogged_input_; }
  size_t replies_left() const { return given_.size(); }

  const std::vector<RecordedEvent>& events() const { return events_; }
  void note(const RecordedEvent& event);

  // CallRecorder
  const HostReply* replayed(const std::string& function, uint64_t position) override;
  void recorded(const std::string& function, const HostReply& reply, uint64_t position) override;
  // CpuInputLog
  bool replayed_input(uint64_t position, uint64_t values[3], int count) override;
  void recorded_input(uint64_t position, const uint64_t values[3], int count) override;

 private:
  struct Checkpoint {
    uint64_t position = 0;
    uint64_t serial = 0;  // its order among every checkpoint taken, dropped ones too
    std::unique_ptr<CpuState> cpu;
    std::vector<uint32_t> pages;    // written in the segment that ends here
    std::vector<uint8_t> contents;  // 4 KiB each, as they are here
    size_t output_length = 0;
  };
  struct HostCall {
    uint64_t position;
    std::string function;
    HostReply reply;
  };
  const HostReply* given_reply(const std::string& function, uint64_t position);
  const Checkpoint& checkpoint_at(uint64_t position) const;
  const uint8_t* page_at(uint32_t page, uint64_t serial) const;
  void keep_base(uint32_t page);
  void drop_oldest();

  Sandbox& sandbox_;
  RecordingOptions options_;
  std::deque<Checkpoint> checkpoints_;
  uint64_t next_serial_ = 0;
  // Every page the call has written: its contents at the call's start (or as the
  // dropped checkpoints left it), and where each checkpoint holds it (serial, bytes).
  std::unordered_map<uint32_t, std::vector<uint8_t>> base_;
  std::unordered_map<uint32_t, std::vector<std::pair<uint64_t, const uint8_t*>>> versions_;
  PageSet written_;  // since the last checkpoint (the backend adds to it)
  std::deque<HostCall> host_calls_;
  struct CpuInput {
    uint64_t position;
    uint64_t values[3];
  };
  std::deque<CpuInput> cpu_inputs_;
  std::vector<RecordedEvent> events_;
  uint64_t end_ = 0;
  uint64_t bytes_ = 0;
  bool dropped_ = false;
  bool ended_ = false;
  bool cancelled_ = false;
  bool attached_ = false;
  uint64_t snapshot_ = 0;  // the sandbox's base snapshot, which the call began from
  bool on_twin_ = false;
  bool answers_given_ = false;    // host calls past the end are answered from `given_`
  std::deque<GivenReply> given_;  // not yet asked for
  uint64_t unlogged_input_ = kNoPosition;
};

}  // namespace microscope
