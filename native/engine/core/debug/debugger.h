// Run control for one sandbox: a call started paused at its function's entry, then
// continued, stepped, paused and restarted, stopping at breakpoints and watchpoints.
//
// Breakpoints (breakpoints.h) are int3 bytes written into guest code only while the
// guest runs. To go on from an address with a breakpoint, the debugger first steps one
// instruction with none written. Watchpoints are in watchpoints.h.
//
// Every method runs on the thread that runs the sandbox (a KVM vCPU stays on the thread
// that made it), except pause(), which works from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "../sandbox.h"
#include "breakpoints.h"
#include "frame_variables.h"
#include "guest_code.h"
#include "kvm_recording.h"
#include "recording.h"
#include "step_targets.h"
#include "watchpoints.h"

namespace microscope {

enum class StopReason {
  Entry,       // the call is paused before its function's first instruction
  Step,        // a step, step over, step out or run-to is done
  Breakpoint,  // a breakpoint whose condition held
  Watchpoint,  // an instruction accessed a watched range
  Pause,       // pause()
  Fault,       // the guest faulted; its state is kept until the next resume ends the call
  Exit,        // the call ended (returned, aborted, ...): outcome says how
  Start,       // going back reached the recording's start: nothing before it is held
};
const char* stop_reason_name(StopReason reason);

enum class Resume {
  Continue,
  StepInstruction,
  StepOver,  // a `call` runs to its return; anything else is one instruction
  StepOut,   // to the return of the function RIP is in
  RunTo,     // to an address
  LineOver,  // to the next source line in this frame or its caller (line_steps.cpp)
  LineInto,  // to the next source line, into a called function that has lines
};

// Going back in a recorded call (time_travel.cpp), each the mirror of a forward resume:
// gdb's reverse-stepi, reverse-nexti, reverse-next, reverse-step, reverse-finish and
// reverse-continue.
enum class Reverse {
  StepInstruction,
  StepOver,  // back over a call: to the `call` itself when the step back lands past a return
  LineOver,  // to the start of the line before, in this frame
  LineInto,  // to the start of the line before, into a called function's last line
  StepOut,   // to the `call` that entered the function RIP is in
  Continue,  // to the last breakpoint or watchpoint hit before now
};

// The last write of a range before now (Debugger::last_write).
struct LastWrite {
  bool found = false;  // false: nothing the recording holds wrote it
  uint64_t position = 0;
  uint64_t instruction = 0;
  std::vector<uint8_t> old_value, new_value;  // the whole range, before and after
};

struct Stop {
  StopReason reason = StopReason::Entry;
  uint64_t rip = 0;
  int breakpoint = 0;                    // Breakpoint: its id
  uint64_t position = 0;                 // in a recorded call: instructions run since its start
  WatchReport watch;                     // Watchpoint
  const CallOutcome* outcome = nullptr;  // Fault and Exit: valid until the next call begins
  // Logpoints' messages (and conditions that couldn't be evaluated) since the resume began.
  std::vector<BreakpointHit::Log> logs;
};

class Debugger {
 public:
  explicit Debugger(Sandbox& sandbox)
      : sandbox_(sandbox), code_(sandbox), breakpoints_(sandbox), watchpoints_(sandbox) {}

  bool active() const { return active_; }  // a call is under way: paused, or stopped at its fault
  bool running() const { return running_.load(std::memory_order_acquire); }  // a resume is under way
  const Stop& stop() const { return stop_; }
  size_t function() const { return function_; }

  // Begins a call (restoring the last snapshot first, with no timeout) and stops at its
  // function's first instruction, or (`at_function` false) at the call's very first
  // instruction: the export's thunk, for a call with a str or bytes argument or result.
  // `record`: the call is recorded, to go back in (time_travel.cpp); a usage error where
  // the backend can't count instructions.
  const Stop& start(size_t function, const std::vector<Value>& args, bool at_function = true,
                    const RecordingOptions* record = nullptr);
  const Stop& resume(Resume how, uint64_t target = 0);
  // The same call again, from the last snapshot.
  const Stop& restart();
  // Ends the call under way, if any; the sandbox is back at its last snapshot.
  void end();
  // From any thread, while a resume runs: it stops with StopReason::Pause.
  void pause();

  // Time travel, in a recorded call: while it runs, and after it ended until the next
  // start() or end(). Null when the call isn't recorded.
  const Recording* recording() const { return recording_.get(); }
  // Where the recorded call is: instructions run since its start (its end, once it ended).
  uint64_t position();
  const Stop& reverse(Reverse how);
  // To any position in [recording start, end]; going forward replays up to the end.
  const Stop& go_to(uint64_t position);
  // The position and instruction that last wrote any byte of [address, address + length)
  // before now.
  LastWrite last_write(uint64_t address, uint32_t length);
  // The last instruction before now that wrote register `reg` (a DWARF number, as
  // GuestCode::written_registers gives them; not RIP, which every instruction moves),
  // with the register's value before and after it (8 bytes; 16 for XMM).
  LastWrite last_register_write(int reg);
  // The guest's registers or memory were changed by hand: what was recorded after now is
  // no longer this call's future.
  void state_edited();

  // Breakpoints and watchpoints share one series of ids, so they are added here; the rest
  // (enable, remove, list) is the collections' own.
  int add_breakpoint(const std::vector<uint64_t>& addresses, const BreakpointOptions& options);
  int add_watchpoint(uint64_t address, uint32_t length, WatchKind kind);
  Breakpoints& breakpoints() { return breakpoints_; }
  Watchpoints& watchpoints() { return watchpoints_; }

  // The guest's instructions and DWARF.
  GuestCode& code() { return code_; }

  // The paused call's stack frames, the running one first (frames.h), with every
  // register the unwinder recovers.
  std::vector<FrameState> frames();
  // The stack as a user sees it: each of those frames once for each function at its PC,
  // an inlined function before the one it is inlined into (frame_variables.h).
  struct StackFrame {
    size_t index;         // into frames()
    size_t inline_level;  // into inline_chain() of its PC
    FunctionAt function;  // "" where DWARF has none
  };
  std::vector<StackFrame> stack(const std::vector<FrameState>& frames);
  // Frame `number` of stack() for reading its variables; a usage error when the stack has
  // no such frame.
  FrameContext frame(size_t number);
  // The registers at the first instruction of the debugged call's function, as the
  // engine entered it: the entry values of its arguments (nullptr before it got there).
  const FrameState* call_entry() const { return call_entry_ ? &*call_entry_ : nullptr; }

 private:
  // Marks the debugger running for as long as it lives: a pause() in that time stops the
  // run under way, or the next one of the same resume.
  class Running {
   public:
    explicit Running(std::atomic<bool>& running) : running_(running), was_(running.exchange(true)) {}
    ~Running() { running_.store(was_, std::memory_order_release); }

   private:
    std::atomic<bool>& running_;
    bool was_;
  };

  const Stop& run_to_stop();
  const Stop& check_replay(const KvmRun& made);
  // One run of the sandbox with these debugging controls; true when it paused.
  bool run_once(bool single_step, bool with_breakpoints, uint64_t instructions = 0, bool with_watches = true);
  // Time travel (time_travel.cpp).
  class History;
  void reopen();
  void travel(uint64_t position);
  const Stop& arrive(uint64_t position);  // go_to() inside an operation
  bool replay_to(uint64_t position, InstructionListener* steps, WriteListener* writes = nullptr, uint64_t address = 0,
                 uint32_t length = 0);
  const Stop& travelled(StopReason reason);
  const Stop& reverse_continue();
  const Stop& reverse_out();
  const Stop& reverse_line(bool into);
  const Stop& reverse_over();
  uint64_t frame_id(const Registers& registers);
  void require_recording() const;
  const Stop& step_once();
  const Stop& step_line(bool into);
  const Stop& stopped(StopReason reason);
  void keep_call_entry(uint64_t entry);
  const Stop& ended(bool stop_at_fault);
  bool report_watch(WatchReport* report);
  std::vector<uint64_t> breakpoint_addresses() const;

  Sandbox& sandbox_;
  GuestCode code_;
  bool active_ = false;
  bool at_fault_ = false;
  size_t function_ = 0;
  std::vector<Value> args_;
  Stop stop_;
  std::optional<StepTarget> target_;  // where the step under way ends
  std::atomic<bool> running_{false};

  std::vector<BreakpointHit::Log> logs_;  // for the next stop
  std::optional<FrameState> call_entry_;
  std::unique_ptr<Recording> recording_;
  bool searching_ = false;  // a reverse search replays the past: its hits are noted once found
  Breakpoints breakpoints_;
  Watchpoints watchpoints_;
  int next_id_ = 1;
};

}  // namespace microscope
