#include "outcome.h"

#include "errors.h"

namespace microscope {

const char* outcome_kind_name(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::Returned: return "return";
    case OutcomeKind::Aborted: return "abort";
    case OutcomeKind::Faulted: return "fault";
    case OutcomeKind::Cancelled: return "cancelled";
    case OutcomeKind::HostError: return "host";
  }
  return "fault";
}

void CallOutcome::reset() {
  kind = OutcomeKind::Returned;
  value.type = Type::Void;
  value.u64 = 0;
  value.data.clear();
  abort_code = 0;
  message.clear();
  fault.vector = 0;
  fault.rip = 0;
  fault.rip_known = true;
  fault.rip_after = false;
  fault.has_error_code = false;
  fault.error_code = 0;
  fault.has_cr2 = false;
  fault.cr2 = 0;
  fault.detail.clear();
  fault_symbol.clear();
  cancel_reason = CancelReason::Request;
  host_function.clear();
  output.clear();
  output_truncated = false;
  timings = CallTimings{};
}

std::string vector_name(int vector) {
  static const char* const kExceptions[32] = {
      "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
      "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23", "#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31"};
  if (vector >= 0 && vector < 32) return kExceptions[vector];
  if (vector >= 32 && vector < 256) return "INT " + hex(uint64_t(vector));
  switch (vector) {
    case kVectorTripleFault: return "triple fault";
    case kVectorStrayHalt: return "stray hlt";
    case kVectorBadPort: return "bad port";
    case kVectorBadFrame: return "bad frame";
    case kVectorUnsupported: return "unsupported";
  }
  return "unknown";
}

std::string describe_fault(const Fault& fault, const std::string& symbol) {
  std::string text = vector_name(fault.vector);
  if (fault.rip_known) text += " at " + hex(fault.rip) + " (" + symbol + ")";
  if (fault.has_cr2) text += ", CR2 " + hex(fault.cr2);
  if (!fault.detail.empty()) text += ": " + fault.detail;
  return text;
}

}  // namespace microscope
