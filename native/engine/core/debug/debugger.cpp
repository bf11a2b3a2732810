#include "debugger.h"

#include <algorithm>
#include <memory>

#include "../../../include/microscope/abi.h"
#include "../errors.h"
#include "frames.h"
#include "kvm_recording.h"
#include "step_targets.h"

namespace microscope {

const char* stop_reason_name(StopReason reason) {
  switch (reason) {
    case StopReason::Entry: return "entry";
    case StopReason::Step: return "step";
    case StopReason::Breakpoint: return "breakpoint";
    case StopReason::Watchpoint: return "watchpoint";
    case StopReason::Pause: return "pause";
    case StopReason::Fault: return "fault";
    case StopReason::Exit: return "exit";
    case StopReason::Start: return "start";
  }
  return "?";
}

// ---- The call ----

const Stop& Debugger::start(size_t function, const std::vector<Value>& args, bool at_function,
                            const RecordingOptions* record) {
  if (active_) throw EngineError(ErrorKind::Busy, "a call is already being debugged: end it first");
  recording_.reset();
  CallOptions options;
  options.restore = true;
  options.timeout_ns = 0;  // a paused call waits for its user
  std::optional<KvmRun> made;
  if (record && !sandbox_.backend().count_instructions(false)) {
    // Recorded on KVM: it runs there to its end first, then on the emulated twin, which
    // counts (kvm_recording.h).
    sandbox_.begin_call(function, args, options);
    {
      Running running(running_);
      made = run_to_end_on_own_backend(sandbox_);
    }
    sandbox_.use_emulated_twin(true);
  }
  sandbox_.begin_call(function, args, options);
  if (record) {
    try {
      recording_ =
          std::make_unique<Recording>(sandbox_, *record, made ? std::move(made->replies) : std::deque<GivenReply>{});
    } catch (...) {
      sandbox_.end_paused_call("not recorded");
      sandbox_.finish();
      sandbox_.use_emulated_twin(false);
      throw;
    }
  }
  active_ = true;
  at_fault_ = false;
  function_ = function;
  args_ = args;
  target_.reset();
  watchpoints_.snapshot_values();
  // A call with a str or bytes argument or result enters through the export's thunk,
  // which tail-calls the function: the entry stop is at the function itself.
  const uint64_t entry = sandbox_.function_address(function);
  call_entry_.reset();
  if (!at_function || sandbox_.backend().registers().rip == entry) {
    keep_call_entry(entry);
    stopped(StopReason::Entry);
  } else {
    target_ = StepTarget{entry, 0};
    Running running(running_);
    run_to_stop();
    if (stop_.reason == StopReason::Step) {
      stop_.reason = StopReason::Entry;
      keep_call_entry(entry);
    }
  }
  return made ? check_replay(*made) : stop_;
}

// The twin's replay of a call made on KVM runs to its end, to be checked against it, and
// then goes back to where the debugging begins.
const Stop& Debugger::check_replay(const KvmRun& made) {
  if (stop_.reason != StopReason::Entry) return stop_;  // it ended before its function began: nothing to replay
  const uint64_t begun = stop_.position;
  {
    Running running(running_);
    // No breakpoints or watchpoints: the whole call at the speed of blocks, checkpointed.
    if (run_once(false, false, 0, false)) {
      end();
      throw usage_error("the replay of the call recorded on " + std::string(sandbox_.backend_name()) +
                        " was paused before it reached the call's end, where it is checked");
    }
  }
  const std::string difference = replay_difference(made, sandbox_, *recording_);
  ended(true);
  if (!difference.empty()) {
    end();
    throw usage_error(difference);
  }
  if (begun < recording_->start()) {
    // The size limit dropped the entry on the way: the debugging begins where it now starts.
    go_to(recording_->start());
    stop_.reason = StopReason::Start;
    return stop_;
  }
  go_to(begun);
  stop_.reason = StopReason::Entry;
  return stop_;
}

const Stop& Debugger::resume(Resume how, uint64_t target) {
  if (!active_) throw usage_error("no call is being debugged");
  sandbox_.clear_pause();  // one meant for an earlier resume
  logs_.clear();
  Running running(running_);
  if (at_fault_) {
    // Continuing after a fault ends the call with it, as a debugged process dies of its
    // signal.
    at_fault_ = false;
    return ended(false);
  }
  watchpoints_.snapshot_values();  // the user may have written memory while paused
  target_.reset();
  const Registers registers = sandbox_.backend().registers();
  switch (how) {
    case Resume::StepInstruction: return step_once();
    case Resume::StepOver: target_ = step_over_target(code_, registers); return target_ ? run_to_stop() : step_once();
    case Resume::StepOut:
      // None when out of the called function itself: the call returns to the halt stub.
      target_ = step_out_target(code_, sandbox_.memory(), registers);
      return run_to_stop();
    case Resume::RunTo: target_ = run_to_target(sandbox_.layout(), target); return run_to_stop();
    case Resume::Continue: return run_to_stop();
    case Resume::LineOver: return step_line(false);
    case Resume::LineInto: return step_line(true);
  }
  return stop_;
}

const Stop& Debugger::restart() {
  if (!active_ && !recording_) throw usage_error("no call is being debugged");
  std::optional<RecordingOptions> record;
  if (recording_) record = recording_->options();
  end();
  return start(function_, args_, true, record ? &*record : nullptr);
}

void Debugger::end() {
  recording_.reset();
  if (!active_) return;
  if (!at_fault_) sandbox_.end_paused_call("ended by the debugger");
  at_fault_ = false;
  ended(false);
}

void Debugger::pause() {
  if (running_.load(std::memory_order_acquire)) sandbox_.pause();
}

// ---- Running ----

const Stop& Debugger::step_once() {
  if (!run_once(true, false)) return ended(true);
  switch (sandbox_.paused_by()) {
    case ExitKind::Watched: {
      Stop stop;
      if (report_watch(&stop.watch)) {
        stop_ = std::move(stop);
        return stopped(StopReason::Watchpoint);
      }
      return stopped(StopReason::Step);
    }
    case ExitKind::Yielded: return stopped(StopReason::Pause);
    default: return stopped(StopReason::Step);
  }
}

const Stop& Debugger::run_to_stop() {
  for (;;) {
    // Off an address with a breakpoint first, one instruction with no int3 written.
    const std::vector<uint64_t> addresses = breakpoint_addresses();
    const uint64_t rip = sandbox_.backend().registers().rip;
    if (std::find(addresses.begin(), addresses.end(), rip) != addresses.end()) {
      if (!run_once(true, false)) return ended(true);
      const ExitKind why = sandbox_.paused_by();
      if (why == ExitKind::Yielded) return stopped(StopReason::Pause);
      if (why == ExitKind::Watched) {
        Stop stop;
        if (report_watch(&stop.watch)) {
          stop_ = std::move(stop);
          return stopped(StopReason::Watchpoint);
        }
      }
    }

    if (!run_once(false, true)) return ended(true);
    switch (sandbox_.paused_by()) {
      case ExitKind::Breakpoint: {
        Registers registers = sandbox_.backend().registers();
        const uint64_t at = registers.rip;
        if (target_ && at == target_->address && registers.rsp >= target_->min_rsp) {
          target_.reset();
          return stopped(StopReason::Step);
        }
        const bool ours = (target_ && at == target_->address) || breakpoints_.any_at(at);
        std::optional<FrameContext> frame;
        BreakpointHit hit = breakpoints_.hit_at(at, [&]() -> const FrameContext& {
          if (!frame) frame.emplace(this->frame(0));
          return *frame;
        });
        for (BreakpointHit::Log& log : hit.logs) logs_.push_back(std::move(log));
        if (hit.stop) {
          stop_ = Stop{};
          stop_.breakpoint = hit.stop;
          if (recording_) recording_->note({RecordedEvent::Breakpoint, sandbox_.backend().position(), hit.stop, ""});
          return stopped(StopReason::Breakpoint);
        }
        if (!ours) {
          // The guest's own int3: a #BP, as it would be without a debugger, RIP past it.
          registers.rip = at + 1;
          sandbox_.backend().set_registers(registers);
          Fault fault;
          fault.vector = 3;
          fault.rip = at + 1;
          sandbox_.fail_paused_call(fault);
          return ended(true);
        }
        continue;  // a condition that doesn't hold, or a deeper frame at the target
      }
      case ExitKind::Watched: {
        Stop stop;
        if (report_watch(&stop.watch)) {
          stop_ = std::move(stop);
          return stopped(StopReason::Watchpoint);
        }
        continue;
      }
      case ExitKind::Yielded: return stopped(StopReason::Pause);
      default: return stopped(StopReason::Step);
    }
  }
}

bool Debugger::run_once(bool single_step, bool with_breakpoints, uint64_t instructions, bool with_watches) {
  DebugControl control;
  control.single_step = single_step;
  control.instructions = instructions;
  control.breakpoints = with_breakpoints;
  if (with_watches) watchpoints_.apply(&control);
  Backend& backend = sandbox_.backend();
  backend.set_debug(control);
  // A positioned stop can come after the first instruction (at the next block): a step
  // counts to its end as a limited run does.
  const uint64_t until = !recording_    ? 0
                         : instructions ? backend.position() + instructions
                         : single_step  ? backend.position() + 1
                                        : 0;
  // A replay of a cancelled call ends where it was cancelled.
  const uint64_t cancelled_at = recording_ && recording_->cancelled() ? recording_->end() : kNoPosition;
  if (with_breakpoints) breakpoints_.insert(breakpoint_addresses());
  Sandbox::Step step;
  try {
    for (;;) {
      if (recording_) backend.stop_at_block_of(std::min(recording_->checkpoint_due(), cancelled_at));
      step = sandbox_.run(true, 0);
      if (!recording_) break;
      const uint64_t now = backend.position();
      if (step == Sandbox::Step::Paused && now >= cancelled_at) {
        breakpoints_.take_out();
        sandbox_.end_paused_call("cancelled");
        return false;
      }
      if (step == Sandbox::Step::Paused && sandbox_.paused_by() == ExitKind::Positioned) {
        // A checkpoint is due: taken where the call runs live (past the recording's end).
        if (now >= recording_->end()) {
          breakpoints_.take_out();
          recording_->checkpoint(now);
          if (with_breakpoints) breakpoints_.insert(breakpoint_addresses());
        }
        recording_->reached(now);
        if (until && now >= until) break;
        if ((until && !single_step) || cancelled_at != kNoPosition) {
          // Exactly to the step's end, or to the point the call was cancelled.
          control.instructions = std::min(until && !single_step ? until - now : kNoPosition, cancelled_at - now);
          backend.set_debug(control);
        }
        continue;
      }
      recording_->reached(now);
      break;
    }
  } catch (...) {
    breakpoints_.take_out();
    throw;
  }
  breakpoints_.take_out();
  return step == Sandbox::Step::Paused;
}

const Stop& Debugger::stopped(StopReason reason) {
  stop_.reason = reason;
  stop_.rip = sandbox_.backend().registers().rip;
  stop_.position = recording_ ? sandbox_.backend().position() : 0;
  stop_.outcome = nullptr;
  if (reason != StopReason::Breakpoint) stop_.breakpoint = 0;
  if (reason != StopReason::Watchpoint) stop_.watch = WatchReport{};
  stop_.logs = std::move(logs_);
  logs_.clear();
  watchpoints_.snapshot_values();
  return stop_;
}

// The sandbox's run finished: a fault stops with the guest's state kept (when
// `stop_at_fault`); anything else ends the call.
const Stop& Debugger::ended(bool stop_at_fault) {
  sandbox_.backend().set_debug(DebugControl{});  // calls outside the debugger run as ever
  target_.reset();
  stop_ = Stop{};
  stop_.logs = std::move(logs_);
  logs_.clear();
  const CallOutcome& ending = sandbox_.ending();
  if (recording_) {
    stop_.position = sandbox_.backend().position();
    recording_->reached(stop_.position);
    if (ending.kind == OutcomeKind::Faulted) recording_->note({RecordedEvent::Fault, stop_.position, 0, ""});
  }
  if (ending.kind == OutcomeKind::Faulted && stop_at_fault) {
    at_fault_ = true;
    stop_.reason = StopReason::Fault;
    stop_.rip = ending.fault.rip;
    stop_.outcome = &ending;
    return stop_;
  }
  if (recording_) {
    recording_->end_call(ending.kind == OutcomeKind::Cancelled);
    recording_->detach();
  }
  const CallOutcome& outcome = sandbox_.finish();
  active_ = false;
  at_fault_ = false;
  stop_.reason = StopReason::Exit;
  stop_.rip = sandbox_.backend().registers().rip;
  stop_.outcome = &outcome;
  return stop_;
}

// ---- Breakpoints and watchpoints ----

std::vector<uint64_t> Debugger::breakpoint_addresses() const {
  return breakpoints_.addresses(target_ ? target_->address : 0);
}

int Debugger::add_breakpoint(const std::vector<uint64_t>& addresses, const BreakpointOptions& options) {
  breakpoints_.add(next_id_, addresses, options, [this]() -> TypeTable& { return code_.types(); });
  const Breakpoint& added = breakpoints_.list().back();
  // Its expressions' names must name something where it is, as gdb's `break ... if` checks.
  std::vector<const Expression*> expressions = added.log_message.expressions();
  if (const Expression* condition = added.condition.expression()) expressions.push_back(condition);
  try {
    for (uint64_t address : added.addresses) {
      const FrameContext at{sandbox_.memory(), code_.debug_info(), code_.types(), FrameState::minimal(address, 0, 0),
                            0};
      for (const Expression* expression : expressions) expression->check_names(at, sandbox_.symbolize(address));
    }
  } catch (...) {
    breakpoints_.remove(next_id_);
    throw;
  }
  return next_id_++;
}

// ---- Frames ----

void Debugger::keep_call_entry(uint64_t entry) {
  Backend& backend = sandbox_.backend();
  if (backend.registers().rip == entry) call_entry_ = FrameState::running(backend.registers(), backend.sse_registers());
}

std::vector<FrameState> Debugger::frames() {
  Backend& backend = sandbox_.backend();
  return backtrace(&code_.debug_info(), sandbox_.memory(),
                   FrameState::running(backend.registers(), backend.sse_registers()), MS_HALT_ADDRESS);
}

std::vector<Debugger::StackFrame> Debugger::stack(const std::vector<FrameState>& frames) {
  std::vector<StackFrame> stack;
  for (size_t i = 0; i < frames.size(); ++i) {
    const uint64_t pc = i == 0 ? frames[i].rip() : frames[i].rip() - 1;
    std::vector<FunctionAt> chain = inline_chain(code_.debug_info(), pc);
    if (chain.empty()) chain.push_back(FunctionAt{});
    for (size_t level = 0; level < chain.size(); ++level) stack.push_back({i, level, chain[level]});
  }
  return stack;
}

FrameContext Debugger::frame(size_t number) {
  if (!active_) throw usage_error("no call is being debugged");
  Backend& backend = sandbox_.backend();
  std::vector<FrameState> states{FrameState::running(backend.registers(), backend.sse_registers())};
  // The running frame's innermost function, as a breakpoint's condition asks for at every
  // hit: no unwinding, no inline chain.
  if (number == 0)
    return FrameContext{sandbox_.memory(), code_.debug_info(), code_.types(), states[0], 0, 0, 0, call_entry()};
  const size_t inlined_here = inline_chain(code_.debug_info(), states[0].rip()).size();
  if (number >= std::max<size_t>(1, inlined_here)) states = frames();
  const std::vector<StackFrame> frames = stack(states);
  if (number >= frames.size()) {
    throw usage_error("there is no frame " + std::to_string(number) + ": the stack has " +
                      std::to_string(frames.size()));
  }
  const StackFrame& at = frames[number];
  return FrameContext{sandbox_.memory(), code_.debug_info(), code_.types(), states[at.index],
                      at.index,          at.inline_level,    number,        call_entry()};
}

int Debugger::add_watchpoint(uint64_t address, uint32_t length, WatchKind kind) {
  watchpoints_.add(next_id_, address, length, kind);
  return next_id_++;
}

bool Debugger::report_watch(WatchReport* report) {
  const bool stops = watchpoints_.report(report, [this](uint64_t rip) { return code_.before(rip); });
  // The instruction that made the access ran just before this stop.
  if (stops && recording_ && !searching_) {
    recording_->note({RecordedEvent::Watchpoint, sandbox_.backend().position() - 1, report->watchpoint, ""});
  }
  return stops;
}

}  // namespace microscope
