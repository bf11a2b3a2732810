// Run control for one sandbox: a call started paused at its function's entry, then
// continued, stepped, paused and restarted, stopping at breakpoints and watchpoints.
//
// Breakpoints are int3 bytes the debugger writes into guest code only while the guest
// runs, and takes out at every stop: whoever reads memory while the call is paused sees
// the guest's own bytes, and no snapshot ever holds an int3. To go on from an address
// with a breakpoint, it first steps one instruction with none written.
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
#include "condition.h"
#include "debug_info.h"
#include "disassembler.h"

namespace microscope {

enum class StopReason {
  Entry,       // the call is paused before its function's first instruction
  Step,        // a step, step over, step out or run-to is done
  Breakpoint,  // a breakpoint whose condition held
  Watchpoint,  // an instruction accessed a watched range
  Pause,       // pause()
  Fault,       // the guest faulted; its state is kept until the next resume ends the call
  Exit,        // the call ended (returned, aborted, ...): outcome says how
};
const char* stop_reason_name(StopReason reason);

enum class Resume {
  Continue,
  StepInstruction,
  StepOver,  // a `call` runs to its return; anything else is one instruction
  StepOut,   // to the return of the function RIP is in
  RunTo,     // to an address
};

struct Breakpoint {
  int id;
  uint64_t address;
  Condition condition;
  bool enabled = true;
  uint64_t hits = 0;  // stops here (with the condition holding)
};

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

struct Stop {
  StopReason reason = StopReason::Entry;
  uint64_t rip = 0;
  int breakpoint = 0;                    // Breakpoint: its id
  WatchReport watch;                     // Watchpoint
  const CallOutcome* outcome = nullptr;  // Fault and Exit: valid until the next call begins
};

class Debugger {
 public:
  explicit Debugger(Sandbox& sandbox) : sandbox_(sandbox) {}

  bool active() const { return active_; }  // a call is under way: paused, or stopped at its fault
  bool running() const { return running_.load(std::memory_order_acquire); }  // a resume is under way
  const Stop& stop() const { return stop_; }
  size_t function() const { return function_; }

  // Begins a call (restoring the last snapshot first, with no timeout) and stops at its
  // function's first instruction, or (`at_function` false) at the call's very first
  // instruction: the export's thunk, for a call with a str or bytes argument or result.
  const Stop& start(size_t function, const std::vector<Value>& args, bool at_function = true);
  const Stop& resume(Resume how, uint64_t target = 0);
  // The same call again, from the last snapshot.
  const Stop& restart();
  // Ends the call under way, if any; the sandbox is back at its last snapshot.
  void end();
  // From any thread, while a resume runs: it stops with StopReason::Pause.
  void pause();

  int add_breakpoint(uint64_t address, const std::string& condition);
  void enable_breakpoint(int id, bool enabled);
  void remove_breakpoint(int id);
  const std::vector<Breakpoint>& breakpoints() const { return breakpoints_; }

  int add_watchpoint(uint64_t address, uint32_t length, WatchKind kind);
  void enable_watchpoint(int id, bool enabled);
  void remove_watchpoint(int id);
  const std::vector<Watchpoint>& watchpoints() const { return watchpoints_; }

  // The instruction at `address` as the guest's own bytes hold it.
  Instruction instruction_at(uint64_t address) const;
  // The guest's DWARF, read on first use.
  const DebugInfo& debug_info();

 private:
  // Where a step over, step out or run-to ends: an address, reached with RSP at least
  // `min_rsp` (a recursive call returning to the same address is deeper, its RSP lower).
  class Running;
  struct Target {
    uint64_t address;
    uint64_t min_rsp;
  };

  void require_paused() const;
  const Stop& run_to_stop();
  // One run of the sandbox with these debugging controls; true when it paused.
  bool run_once(bool single_step, bool with_breakpoints);
  const Stop& step_once();
  const Stop& stopped(StopReason reason);
  const Stop& ended(bool stop_at_fault);
  bool report_watch(WatchReport* report);
  void apply_watches(DebugControl* control) const;
  void snapshot_watched_values();
  void insert_breakpoints();
  void remove_breakpoints();
  std::vector<uint64_t> breakpoint_addresses() const;
  uint64_t instruction_before(uint64_t rip) const;
  Breakpoint& breakpoint(int id);
  Watchpoint& watchpoint(int id);

  Sandbox& sandbox_;
  Disassembler disassembler_;
  std::unique_ptr<DebugInfo> debug_info_;
  bool active_ = false;
  bool at_fault_ = false;
  size_t function_ = 0;
  std::vector<Value> args_;
  Stop stop_;
  std::optional<Target> target_;
  std::atomic<bool> running_{false};

  std::vector<Breakpoint> breakpoints_;
  std::vector<Watchpoint> watchpoints_;
  std::vector<std::vector<uint8_t>> watched_values_;  // per watchpoint, as of the last stop
  int next_id_ = 1;
  // The int3s written for the run under way: address and the byte each replaced.
  std::vector<std::pair<uint64_t, uint8_t>> inserted_;
};

}  // namespace microscope
