// How a call ended: exactly one of these, always (native/README.md, "Outcomes").
#pragma once

#include <cstdint>
#include <string>

#include "backend.h"
#include "value.h"

namespace microscope {

// A guest frame the host could not decode (a fault of the guest's own making).
constexpr int kVectorBadFrame = 259;

enum class OutcomeKind {
  Returned,   // the function returned `value`
  Aborted,    // the guest called ms_abort(code, message)
  Faulted,    // a CPU exception or another guest misbehaviour; see `fault`
  Cancelled,  // the timeout passed or cancel() was called
  HostError,  // a host function failed, or the guest called one wrongly
};

enum class CancelReason { Timeout, Request };

struct CallTimings {
  int64_t create_ns = 0;        // cold measurements: creating and initialising the sandbox
  int64_t restore_ns = 0;       // restoring the snapshot before the call
  int64_t run_ns = 0;           // the guest running, host calls excluded
  int64_t host_ns = 0;          // inside host functions
  int64_t total_ns = 0;         // all of it, and the engine's own work
  uint64_t restored_pages = 0;  // pages the restore copied back
};

struct CallOutcome {
  OutcomeKind kind = OutcomeKind::Returned;
  Value value;
  int32_t abort_code = 0;
  std::string message;  // abort message, host error, or a sentence describing the fault
  Fault fault;
  std::string fault_symbol;  // where fault.rip is: "function+0x12" or "[region]"
  CancelReason cancel_reason = CancelReason::Request;
  std::string host_function;
  std::string output;
  bool output_truncated = false;
  CallTimings timings;

  // Back to a fresh outcome, keeping the strings' memory for the next call.
  void reset();
};

const char* outcome_kind_name(OutcomeKind kind);  // "return", "abort", "fault", "cancelled", "host"
std::string vector_name(int vector);              // "#PF", "#UD", "triple fault", "INT 0x80", ...
// "#PF at 0x100482 (crash_null+0x2), CR2 0x0: detail"; `symbol` is where fault.rip is.
std::string describe_fault(const Fault& fault, const std::string& symbol);

}  // namespace microscope
