// Going back in a recorded call (recording.h). Every operation is a search of the past
// by replay: put back the checkpoint before a position, run forward from it exactly as
// the recording ran (the host's replies from the log), and note what happened on the
// way: the breakpoints and watchpoints hit, each instruction's frame, each store to a
// range. Then go to the position found. Nothing a search runs through adds to a
// breakpoint's hits or prints a logpoint's message.
#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "../../../include/microscope/abi.h"
#include "../errors.h"
#include "debugger.h"
#include "frames.h"
#include "line_table.h"

namespace microscope {

namespace {

// What a replay of a segment ran: each instruction's position, RIP and the registers its
// frame is known by.
struct Step {
  uint64_t position, rip, rsp, rbp;
};

class StepLog : public InstructionListener {
 public:
  std::vector<Step> steps;
  void on_instruction(uint64_t position, uint64_t rip, uint64_t rsp, uint64_t rbp) override {
    steps.push_back({position, rip, rsp, rbp});
  }
};

// The last store to [address, address + length) in a replay, as it was about to land.
class LastStore : public WriteListener {
 public:
  LastStore(const GuestMemory& memory, uint64_t address, uint32_t length)
      : memory_(memory), address_(address), length_(length) {}
  LastWrite found;
  void on_write(uint64_t position, uint64_t instruction, uint64_t address, uint32_t size, uint64_t value) override {
    if (address >= address_ + length_ || address + size <= address_) return;  // the hook's range is wider
    found.found = true;
    found.position = position;
    found.instruction = instruction;
    found.old_value.resize(length_);
    memory_.read(address_, found.old_value.data(), length_);
    found.new_value = found.old_value;
    for (uint32_t i = 0; i < size && i < 8; ++i) {
      const uint64_t at = address + i;
      if (at >= address_ && at < address_ + length_) found.new_value[at - address_] = uint8_t(value >> (8 * i));
    }
  }

 private:
  const GuestMemory& memory_;
  uint64_t address_;
  uint32_t length_;
};

// How far below a range a store may begin and still reach into it (a 16-byte SSE store).
constexpr uint64_t kWidestStore = 16;

// Replays shorter than this count every instruction; longer ones go by blocks first.
constexpr uint64_t kCountedReplay = 20'000;

}  // namespace

// ---- Positions ----

void Debugger::require_recording() const {
  if (!recording_) throw usage_error("this call is not recorded: debug it with recording on to go back");
}

uint64_t Debugger::position() {
  if (!recording_) return 0;
  return active_ ? sandbox_.backend().position() : recording_->end();
}

// The recorded call runs again: after its end it begins anew (from the same snapshot, so
// its start is position 0 again); after a fault it goes on from a checkpoint.
void Debugger::reopen() {
  recording_->attach();
  if (active_) {
    at_fault_ = false;
    return;
  }
  CallOptions options;
  options.restore = true;
  options.timeout_ns = 0;
  sandbox_.begin_call(function_, args_, options);
  sandbox_.backend().set_position(0);
  active_ = true;
  at_fault_ = false;
}

bool Debugger::replay_to(uint64_t position, InstructionListener* steps, WriteListener* writes, uint64_t address,
                         uint32_t length) {
  Backend& backend = sandbox_.backend();
  while (backend.position() < position) {
    DebugControl control;
    // Far from the target, and with no instruction to hear of, the run goes at the speed
    // of blocks to the one that holds the target (a positioned stop), then counts the
    // rest one by one (a code hook on every instruction: a third of the speed, and each
    // switch between the two has the emulator translate the guest's code again).
    const uint64_t left = position - backend.position();
    if (!steps && left > kCountedReplay)
      backend.stop_at_block_of(position);
    else
      control.instructions = left;
    control.instruction_listener = steps;
    control.write_listener = writes;
    control.listened_address = address;
    control.listened_length = length;
    backend.set_debug(control);
    if (sandbox_.run(true, 0) != Sandbox::Step::Paused) return false;
  }
  return true;
}

void Debugger::travel(uint64_t position) {
  Recording& recording = *recording_;
  if (position < recording.start() && recording.dropped()) {
    const uint64_t limit = recording.options().size_limit;
    const std::string size =
        limit >= (1u << 20) ? std::to_string(limit >> 20) + " MiB" : std::to_string(limit >> 10) + " KiB";
    throw usage_error("position " + std::to_string(position) + " was dropped: the recording keeps at most " + size +
                      ", and now starts at " + std::to_string(recording.start()));
  }
  if (position < recording.start() || position > recording.end()) {
    throw usage_error("position " + std::to_string(position) + " is outside the recording (" +
                      std::to_string(recording.start()) + " to " + std::to_string(recording.end()) + ")");
  }
  reopen();
  const uint64_t now = sandbox_.backend().position();
  if (position < now || recording.checkpoint_before(position) > now) recording.restore(position);
  replay_to(position, nullptr);
  sandbox_.backend().set_debug(DebugControl{});
}

const Stop& Debugger::travelled(StopReason reason) {
  target_.reset();
  return stopped(reason);
}

const Stop& Debugger::go_to(uint64_t position) {
  require_recording();
  if (running()) throw EngineError(ErrorKind::Busy, "the call is running: pause it first");
  Running running(running_);
  logs_.clear();
  return arrive(position);
}

const Stop& Debugger::arrive(uint64_t position) {
  Recording& recording = *recording_;
  if (recording.cancelled() && position == recording.end()) {
    // Where the call was cancelled: cancelled again.
    travel(position);
    sandbox_.end_paused_call("cancelled");
    return ended(false);
  }
  if (recording.ended() && position == recording.end()) {
    // The end of a call that ended: run its last instruction again, which ends it.
    if (position == recording.start()) return stop_;
    travel(position - 1);
    if (!run_once(true, false, 0, false)) return ended(true);
    return travelled(StopReason::Step);
  }
  travel(position);
  return travelled(position == recording.start() ? StopReason::Start : StopReason::Step);
}

// ---- Reverse resumes ----

const Stop& Debugger::reverse(Reverse how) {
  require_recording();
  if (running()) throw EngineError(ErrorKind::Busy, "the call is running: pause it first");
  Running running(running_);
  logs_.clear();
  const uint64_t now = position();
  if (now <= recording_->start()) {
    travel(recording_->start());
    return travelled(StopReason::Start);
  }
  switch (how) {
    case Reverse::StepInstruction: travel(now - 1); return travelled(StopReason::Step);
    case Reverse::StepOver: return reverse_over();
    case Reverse::LineOver: return reverse_line(false);
    case Reverse::LineInto: return reverse_line(true);
    case Reverse::StepOut: return reverse_out();
    case Reverse::Continue: return reverse_continue();
  }
  return stop_;
}

// A frame's identity, as line steps know it (line_steps.cpp): the RSP its caller sees.
uint64_t Debugger::frame_id(const Registers& r) {
  FrameState frame = FrameState::minimal(r.rip, r.rsp, r.rbp), caller;
  if (!caller_frame(&code_.debug_info(), sandbox_.memory(), &frame, true, &caller)) return r.rsp + 8;
  return frame.has_cfa ? frame.cfa : caller.rsp();
}

// The instructions before a position, latest first, replayed a segment at a time.
class Debugger::History {
 public:
  History(Debugger& debugger, uint64_t before) : debugger_(debugger), limit_(before) {}
  // The next step back; false at the recording's start.
  bool back(Step* step) {
    while (index_ == 0) {
      Recording& recording = *debugger_.recording_;
      if (limit_ <= recording.start()) return false;
      const uint64_t from = recording.checkpoint_before(limit_ - 1);
      debugger_.travel(from);
      StepLog log;
      debugger_.replay_to(limit_, &log);
      debugger_.sandbox_.backend().set_debug(DebugControl{});
      steps_ = std::move(log.steps);
      index_ = steps_.size();
      limit_ = from;
    }
    *step = steps_[--index_];
    return true;
  }

 private:
  Debugger& debugger_;
  uint64_t limit_;
  std::vector<Step> steps_;
  size_t index_ = 0;
};

namespace {

Registers registers_of(const Step& step) {
  Registers r{};
  r.rip = step.rip;
  r.rsp = step.rsp;
  r.rbp = step.rbp;
  return r;
}

}  // namespace

const Stop& Debugger::reverse_over() {
  // One instruction back; where that is inside a callee (the step back lands on its
  // `ret`), on back to the `call` in this frame.
  const uint64_t now = position();
  const Registers r = sandbox_.backend().registers();
  const uint64_t frame = active_ ? frame_id(r) : 0;
  History history(*this, now);
  Step step{}, found{};
  bool any = false;
  while (history.back(&step)) {
    found = step;
    any = true;
    if (!frame || frame_id(registers_of(step)) >= frame) break;
  }
  travel(any ? found.position : recording_->start());
  return travelled(any ? StopReason::Step : StopReason::Start);
}

const Stop& Debugger::reverse_out() {
  // The `call` that entered this frame is the last instruction run with RSP at or above
  // the frame's CFA: everything since ran inside it or deeper.
  const uint64_t now = position();
  if (!active_) {
    travel(now - 1);  // the end of a call that returned: back to its halt
    return travelled(StopReason::Step);
  }
  const uint64_t frame = frame_id(sandbox_.backend().registers());
  History history(*this, now);
  Step step{};
  while (history.back(&step)) {
    if (step.rsp >= frame) {
      travel(step.position);
      return travelled(StopReason::Step);
    }
  }
  travel(recording_->start());
  return travelled(StopReason::Start);
}

const Stop& Debugger::reverse_line(bool into) {
  // Back over the rest of the line RIP is in (and anything it called), then back to the
  // start of the line run before it in this frame: gdb's reverse-next. reverse-step
  // (`into`) stops instead in the last line of a function that line called.
  const LineTable& table = code_.debug_info().lines();
  const uint64_t now = position();
  Registers r = sandbox_.backend().registers();
  if (!active_) {
    travel(now - 1);
    return travelled(StopReason::Step);
  }
  uint64_t frame = frame_id(r);
  const LineRow* row = table.row_at(r.rip);
  uint32_t file = row ? row->file : 0;
  int line = row ? row->line : 0;
  bool in_previous = false;  // back in the line before, looking for its start
  History history(*this, now);
  Step step{};
  std::optional<Step> start;
  while (history.back(&step)) {
    const uint64_t at = frame_id(registers_of(step));
    const LineRow* here_row = table.row_at(step.rip);
    const bool has_line = here_row && !code_.in_sdk_thunk(step.rip);
    if (at < frame) {
      // Inside something this frame called.
      if (into && !in_previous && has_line) {
        frame = at;
        file = here_row->file;
        line = here_row->line;
        in_previous = true;
        start = step;
      }
      continue;
    }
    if (at > frame) {
      // Back before this frame began: the caller's line holding the call.
      if (start) break;
      frame = at;
      if (!has_line) {
        start = step;
        break;
      }
      file = here_row->file;
      line = here_row->line;
      in_previous = true;
      start = step;
      continue;
    }
    const bool same_line = has_line && here_row->file == file && here_row->line == line;
    if (!in_previous) {
      if (same_line || !has_line) continue;
      file = here_row->file;
      line = here_row->line;
      in_previous = true;
      start = step;
      continue;
    }
    if (!same_line) break;
    start = step;
  }
  if (!start) {
    travel(recording_->start());
    return travelled(StopReason::Start);
  }
  travel(start->position);
  return travelled(StopReason::Step);
}

const Stop& Debugger::reverse_continue() {
  Recording& recording = *recording_;
  uint64_t limit = position();
  // The end of a call that returned is past its halt: the search stops before it.
  if (recording.ended() && limit == recording.end() && limit > recording.start()) --limit;
  const std::vector<uint64_t> breakpoint_hits = breakpoints_.hit_counts();
  const std::vector<uint64_t> watchpoint_hits = watchpoints_.hit_counts();
  struct Hit {
    uint64_t position;
    int breakpoint = 0;
    WatchReport watch;
  };
  auto frame_at = [this](std::optional<FrameContext>& frame) -> const FrameContext& {
    if (!frame) frame.emplace(this->frame(0));
    return *frame;
  };
  std::optional<Hit> last;
  searching_ = true;
  struct Searching {
    bool& flag;
    ~Searching() { flag = false; }
  } searching{searching_};
  while (limit > recording.start() && !last) {
    const uint64_t from = recording.checkpoint_before(limit - 1);
    travel(from);
    Backend& backend = sandbox_.backend();
    // A breakpoint where the search begins is hit there, before its instruction runs.
    auto breakpoint_here = [&]() {
      const uint64_t at = backend.registers().rip;
      if (!breakpoints_.any_at(at)) return;
      std::optional<FrameContext> frame;
      const BreakpointHit hit = breakpoints_.hit_at(at, [&]() -> const FrameContext& { return frame_at(frame); });
      if (hit.stop) last = Hit{backend.position(), hit.stop, {}};
    };
    breakpoint_here();
    while (backend.position() < limit) {
      watchpoints_.snapshot_values();
      const uint64_t before = backend.position();
      const bool on_breakpoint = breakpoints_.any_at(backend.registers().rip);
      const bool paused = on_breakpoint ? run_once(true, false) : run_once(false, true, limit - before);
      if (!paused) break;
      switch (sandbox_.paused_by()) {
        case ExitKind::Breakpoint: breakpoint_here(); break;
        case ExitKind::Watched: {
          WatchReport report;
          if (report_watch(&report)) last = Hit{backend.position() - 1, 0, report};
          break;
        }
        default: break;
      }
    }
    limit = from;
  }
  breakpoints_.set_hit_counts(breakpoint_hits);
  watchpoints_.set_hit_counts(watchpoint_hits);
  if (!last) {
    travel(recording.start());
    return travelled(StopReason::Start);
  }
  travel(last->position);
  if (last->breakpoint) {
    stop_ = Stop{};
    stop_.breakpoint = last->breakpoint;
    recording.note({RecordedEvent::Breakpoint, last->position, last->breakpoint, ""});
    return travelled(StopReason::Breakpoint);
  }
  stop_ = Stop{};
  stop_.watch = last->watch;
  recording.note({RecordedEvent::Watchpoint, last->position, last->watch.watchpoint, ""});
  return travelled(StopReason::Watchpoint);
}

// ---- Last writes ----

LastWrite Debugger::last_write(uint64_t address, uint32_t length) {
  require_recording();
  if (running()) throw EngineError(ErrorKind::Busy, "the call is running: pause it first");
  if (length == 0 || !sandbox_.memory().contains(address, length))
    throw usage_error(sandbox_.memory().describe_range(address, length) + " is not guest memory");
  Running running(running_);
  Recording& recording = *recording_;
  const uint64_t now = position();
  const bool was_active = active_;
  // Only the segments that wrote one of its pages can hold the write, latest first.
  std::vector<uint64_t> segments;
  for (uint64_t page = address >> 12; page <= (address + length - 1) >> 12; ++page) {
    for (uint64_t from : recording.segments_writing(uint32_t(page))) segments.push_back(from);
  }
  std::sort(segments.begin(), segments.end(), std::greater<uint64_t>());
  segments.erase(std::unique(segments.begin(), segments.end()), segments.end());
  LastWrite found;
  const uint64_t low = address >= kWidestStore ? address - kWidestStore + 1 : 0;
  for (uint64_t from : segments) {
    if (from >= now) continue;
    const uint64_t to = std::min(now, recording.segment_end(from));
    travel(from);
    LastStore store(sandbox_.memory(), address, length);
    replay_to(to, nullptr, &store, low, uint32_t(address + length - low));
    sandbox_.backend().set_debug(DebugControl{});
    if (store.found.found) {
      found = store.found;
      break;
    }
  }
  // Back where the user was.
  if (was_active) {
    travel(now);
    stopped(stop_.reason);
  } else {
    arrive(now);
  }
  return found;
}

namespace {

std::vector<uint8_t> register_bytes(Backend& backend, int reg) {
  const FrameState state = FrameState::running(backend.registers(), backend.sse_registers());
  std::vector<uint8_t> bytes;
  if (reg >= FrameState::kXmm0 && reg < FrameState::kXmm0 + 16) {
    bytes.assign(state.xmm[reg - FrameState::kXmm0], state.xmm[reg - FrameState::kXmm0] + 16);
    return bytes;
  }
  const uint64_t value = reg == FrameState::kRflags ? state.rflags : state.gpr[reg];
  bytes.resize(8);
  std::memcpy(bytes.data(), &value, 8);
  return bytes;
}

}  // namespace

LastWrite Debugger::last_register_write(int reg) {
  require_recording();
  if (running()) throw EngineError(ErrorKind::Busy, "the call is running: pause it first");
  if (reg == FrameState::kRip) throw usage_error("every instruction writes rip: ask for another register");
  if (!((reg >= 0 && reg < FrameState::kXmm0 + 16) || reg == FrameState::kRflags))
    throw usage_error("no register number " + std::to_string(reg));
  Running running(running_);
  const uint64_t now = position();
  const bool was_active = active_;
  const Stop kept = stop_;
  LastWrite found;
  {
    History history(*this, now);
    Step step{};
    std::unordered_map<uint64_t, bool> writes;  // by instruction address
    while (history.back(&step)) {
      auto known = writes.find(step.rip);
      if (known == writes.end()) {
        const std::vector<int> written = code_.written_registers(step.rip);
        known = writes.emplace(step.rip, std::find(written.begin(), written.end(), reg) != written.end()).first;
      }
      if (!known->second) continue;
      found.found = true;
      found.position = step.position;
      found.instruction = step.rip;
      break;
    }
  }
  if (found.found) {
    travel(found.position);
    found.old_value = register_bytes(sandbox_.backend(), reg);
    travel(found.position + 1);
    found.new_value = register_bytes(sandbox_.backend(), reg);
  }
  if (was_active) {
    travel(now);
    stop_ = kept;
    stopped(kept.reason);
  } else {
    arrive(now);
  }
  return found;
}

void Debugger::state_edited() {
  if (!recording_ || !active_) return;
  recording_->truncate(sandbox_.backend().position());
  recording_->checkpoint(sandbox_.backend().position());
}

}  // namespace microscope
