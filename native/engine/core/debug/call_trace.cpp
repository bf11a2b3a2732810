#include "call_trace.h"

#include <unordered_map>
#include <unordered_set>

#include "../clock.h"
#include "debugger.h"

namespace microscope {

namespace {

// Follows calls and returns from where the guest's code goes: a block that starts at a
// function's first instruction is a call (its return address at [RSP]); one that starts
// at the innermost frame's return address, with RSP above that frame's, is its return.
class CallTracer final : public BlockObserver, public CallObserver {
 public:
  CallTracer(const Sandbox& sandbox, CallTrace* trace)
      : memory_(const_cast<Sandbox&>(sandbox).memory()), trace_(trace) {
    const auto& symbols = sandbox.image().symbols();
    for (size_t i = 0; i < symbols.size(); ++i) {
      if (symbols[i].function) starts_.emplace(symbols[i].address + sandbox.layout().load_bias, uint32_t(i));
    }
  }

  void start() { t0_ = monotonic_ns(); }

  void on_block(uint64_t address, Backend& backend) override {
    if (!stack_.empty() && address == stack_.back().return_address) {
      const uint64_t rsp = backend.stack_pointer();
      const int64_t now = monotonic_ns() - t0_;
      while (!stack_.empty() && stack_.back().entry_rsp < rsp) close_top(now);
    }
    const auto it = starts_.find(address);
    if (it == starts_.end()) return;
    const uint64_t rsp = backend.stack_pointer();
    const int64_t now = monotonic_ns() - t0_;
    if (!stack_.empty() && stack_.back().entry_rsp == rsp) {
      if (stack_.back().symbol == it->second) return;  // a jump back to its own start: the same call
      close_top(now);                                  // a tail call: the callee takes over its caller's frame
    }
    Frame frame{kNoEvent, rsp, 0, it->second};
    if (memory_.contains(rsp, 8)) memory_.read(rsp, &frame.return_address, 8);
    frame.event = add({TraceEvent::Kind::Function, uint32_t(stack_.size()), now, -1, it->second});
    stack_.push_back(frame);
  }

  void on_host_call(const std::string& name, const std::vector<Value>& args, const HostReply& reply, int64_t start_ns,
                    int64_t end_ns) override {
    HostCallRecord record{name, args, reply.status != HostReply::Done, reply.value, reply.error};
    if (add({TraceEvent::Kind::HostCall, uint32_t(stack_.size()), start_ns - t0_, end_ns - start_ns,
             uint32_t(trace_->host_calls.size())}) != kNoEvent) {
      trace_->host_calls.push_back(std::move(record));
    }
  }

  void on_exit(const std::string& reason, int64_t at_ns) override {
    if (add({TraceEvent::Kind::Exit, uint32_t(stack_.size()), at_ns - t0_, 0, uint32_t(trace_->exits.size())}) !=
        kNoEvent) {
      trace_->exits.push_back(reason);
    }
  }

  // Ends the frames still open (a fault, a cancel) where the call ended.
  void finish() {
    const int64_t now = monotonic_ns() - t0_;
    while (!stack_.empty()) close_top(now);
    trace_->duration_ns = now;
  }

  // The return addresses the frames open now go back to.
  std::vector<uint64_t> return_addresses() const {
    std::vector<uint64_t> addresses;
    for (const Frame& frame : stack_) addresses.push_back(frame.return_address);
    return addresses;
  }

 private:
  static constexpr uint32_t kNoEvent = UINT32_MAX;

  struct Frame {
    uint32_t event;
    uint64_t entry_rsp;
    uint64_t return_address;
    uint32_t symbol;
  };

  uint32_t add(const TraceEvent& event) {
    if (trace_->events.size() >= kMaxTraceEvents) {
      trace_->truncated = true;
      return kNoEvent;
    }
    trace_->events.push_back(event);
    return uint32_t(trace_->events.size() - 1);
  }

  void close_top(int64_t now) {
    const Frame& frame = stack_.back();
    if (frame.event != kNoEvent) {
      TraceEvent& event = trace_->events[frame.event];
      event.duration_ns = now - event.start_ns;
    }
    stack_.pop_back();
  }

  GuestMemory& memory_;
  CallTrace* trace_;
  std::unordered_map<uint64_t, uint32_t> starts_;  // a function's first instruction -> its symbol
  std::vector<Frame> stack_;
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
      tracer.on_block(stop.rip, backend);
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
