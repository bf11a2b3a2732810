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
  }
  return "unknown";
}

}  // namespace microscope
