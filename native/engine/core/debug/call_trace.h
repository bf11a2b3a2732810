// One call's trace: every guest function entered and left (by the ELF's function
// symbols), every host call with its arguments, result and duration, and every exit from
// the guest to the engine, each timed in nanoseconds from the call's start and nested as
// it ran.
//
// On the emulated backend the trace follows the translated blocks the guest enters (its
// block hook, which costs nothing per instruction). KVM has no such hook: there the
// trace stops at an int3 on every function's first instruction and on each return
// address it has seen, two exits per call.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../outcome.h"
#include "../sandbox.h"

namespace microscope {

struct TraceEvent {
  enum class Kind : uint8_t { Function, HostCall, Exit };
  Kind kind;
  uint32_t depth;                   // functions around it
  int64_t start_ns;                 // from the call's start
  int64_t duration_ns;              // Exit: 0
  uint32_t index;                   // Function: into the image's symbols; HostCall: host_calls; Exit: exits
  uint32_t arguments = UINT32_MAX;  // Function: into CallTrace::entry_arguments
};

// A function's SysV integer argument registers as it was entered (RDI, RSI, RDX, RCX,
// R8, R9), and its stack pointer then: what its arguments are read from.
struct ArgumentRegisters {
  uint64_t registers[6];
  uint64_t rsp;
};

struct HostCallRecord {
  std::string name;
  std::vector<Value> args;
  bool failed = false;
  Value result;
  std::string error;
};

struct CallTrace {
  std::vector<TraceEvent> events;  // in the order they began
  std::vector<HostCallRecord> host_calls;
  std::vector<std::string> exits;  // each exit's reason
  std::vector<ArgumentRegisters> entry_arguments;
  bool truncated = false;  // events beyond kMaxTraceEvents were dropped
  CallOutcome outcome;
  int64_t duration_ns = 0;
};

// Enough for any call someone reads as a trace, and a bound on memory: each event costs
// about 350 bytes by the time it is a JS object (ten million came to 3.5 GB and 98 s).
// The call runs on to its end; the trace says it is truncated.
constexpr size_t kMaxTraceEvents = 1'000'000;

// Runs `function` once (restoring the last snapshot first) and records its trace. On the
// thread that runs the sandbox.
CallTrace trace_call(Sandbox& sandbox, size_t function, const std::vector<Value>& args);

}  // namespace microscope
