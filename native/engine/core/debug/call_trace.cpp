#include "call_trace.h"

#include <unordered_set>

#include "../clock.h"
#include "call_follower.h"
#include "debugger.h"

namespace microscope {

namespace {

// Follows calls and returns (call_follower.h) and times each.
class CallTracer final : public BlockObserver, public CallObserver, private CallFollower::Listener {
 public:
  CallTracer(Sandbox& sandbox, CallTrace* trace) : follower_(sandbox), trace_(trace) {}

  void start() { t0_ = monotonic_ns(); }

  void on_block(uint64_t address, uint32_t /*size*/, Backend& backend) override {
    backend_ = &backend;
    follower_.on_block(address, backend, *this);
  }

  void on_host_call(const std::string& name, const std::vector<Value>& args, const HostReply& reply, int64_t start_ns,
                    int64_t end_ns) override {
    HostCallRecord record{name, args, reply.status != HostReply::Done, reply.value, reply.error};
    if (add({TraceEvent::Kind::HostCall, uint32_t(events_.size()), start_ns - t0_, end_ns - start_ns,
             uint32_t(trace_->host_calls.size())}) != kNoEvent) {
      trace_->host_calls.push_back(std::move(record));
    }
  }

  void on_exit(const std::string& reason, int64_t at_ns) override {
    if (add({TraceEvent::Kind::Exit, uint32_t(events_.size()), at_ns - t0_, 0, uint32_t(trace_->exits.size())}) !=
        kNoEvent) {
      trace_->exits.push_back(reason);
    }
  }

  // Ends the frames still open (a fault, a cancel) where the call ended.
  void finish() {
    follower_.close_all(*this);
    trace_->duration_ns = monotonic_ns() - t0_;
  }

  // The return addresses the frames open now go back to.
  std::vector<uint64_t> return_addresses() const {
    std::vector<uint64_t> addresses;
    for (const CallFollower::OpenFrame& frame : follower_.open_frames()) addresses.push_back(frame.return_address);
    return addresses;
  }

 private:
  static constexpr uint32_t kNoEvent = UINT32_MAX;

  void entered(const CallFollower::OpenFrame& frame) override {
    const uint32_t event =
        add({TraceEvent::Kind::Function, uint32_t(events_.size()), monotonic_ns() - t0_, -1, frame.symbol});
    events_.push_back(event);
    if (event == kNoEvent) return;
    ArgumentRegisters entry{};
    backend_->argument_registers(entry.registers);
    entry.rsp = frame.entry_rsp;
    trace_->events[event].arguments = uint32_t(trace_->entry_arguments.size());
    trace_->entry_arguments.push_back(entry);
  }

  void leaving() override {
    const uint32_t event = events_.back();
    events_.pop_back();
    if (event != kNoEvent) {
      TraceEvent& open = trace_->events[event];
      open.duration_ns = monotonic_ns() - t0_ - open.start_ns;
    }
  }

  uint32_t add(const TraceEvent& event) {
    if (trace_->events.size() >= kMaxTraceEvents) {
      trace_->truncated = true;
      return kNoEvent;
    }
    trace_->events.push_back(event);
    return uint32_t(trace_->events.size() - 1);
  }

  CallFollower follower_;
  CallTrace* trace_;
  Backend* backend_ = nullptr;    // the one whose block is being followed
  std::vector<uint32_t> events_;  // each open frame's event
  int64_t t0_ = 0;
};

// Observers stay attached only as long as the trace runs, whatever happens.
class Attached {
 public:
  Attached(Sandbox& sandbox, CallTracer& tracer, bool blocks) : sandbox_(sandbox), blocks_(blocks) {
    sandbox_.observe(&tracer);
    if (blocks_) blocks_ = sandbox_.backend().observe_blocks(&tracer);
  }
  ~Attached() {
    sandbox_.observe(nullptr);
    if (blocks_) sandbox_.backend().observe_blocks(nullptr);
  }
  bool blocks() const { return blocks_; }

 private:
  Sandbox& sandbox_;
  bool blocks_;
};

// KVM: int3s on every function's first instruction and on each return address seen.
CallOutcome trace_with_breakpoints(Sandbox& sandbox, CallTracer& tracer, size_t function,
                                   const std::vector<Value>& args) {
  Debugger debugger(sandbox);
  std::unordered_set<uint64_t> breakpoints;
  auto break_at = [&](uint64_t address) {
    const Region* region = sandbox.layout().region_at(address);
    if (!region || !(region->access & kExecute) || !breakpoints.insert(address).second) return;
    debugger.add_breakpoint({address}, BreakpointOptions{});
  };
  for (const Symbol& symbol : sandbox.image().symbols()) {
    if (symbol.function) break_at(symbol.address + sandbox.layout().load_bias);
  }
  tracer.start();
  Stop stop = debugger.start(function, args, false);
  Backend& backend = sandbox.backend();
  for (;;) {
    if (stop.reason == StopReason::Exit) return *stop.outcome;
    if (stop.reason == StopReason::Entry || stop.reason == StopReason::Breakpoint) {
      tracer.on_block(stop.rip, 0, backend);
      for (uint64_t address : tracer.return_addresses()) break_at(address);
    }
    stop = debugger.resume(Resume::Continue);
  }
}

}  // namespace

CallTrace trace_call(Sandbox& sandbox, size_t function, const std::vector<Value>& args) {
  CallTrace trace;
  CallTracer tracer(sandbox, &trace);
  {
    Attached attached(sandbox, tracer, true);
    if (attached.blocks()) {
      tracer.start();
      trace.outcome = sandbox.call(function, args);
    } else {
      trace.outcome = trace_with_breakpoints(sandbox, tracer, function, args);
    }
  }
  tracer.finish();
  return trace;
}

}  // namespace microscope
