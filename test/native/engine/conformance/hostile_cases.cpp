// Hostile guests (test/guests/hostile.c): each gets its documented outcome, on both
// backends, and the same sandbox serves its next call afterwards. The host never reads or
// writes outside guest memory on the guest's say-so: the bad frames' lengths and offsets
// point outside the buffers, or outside memory, and each is refused as a bad frame.
#include <chrono>

#include "harness.h"

namespace conformance {

namespace {

struct Expected {
  const char* function;
  OutcomeKind kind;
  const char* vector;  // faults: the vector as the engine names it; others: a part of the message
};

void hostile_guests(Case& c) {
  auto box = c.sandbox("hostile");
  const bool kvm = c.context().backend == "kvm";
  const Expected corpus[] = {
      {"jump_to_unmapped", OutcomeKind::Faulted, "#PF"},
      {"jump_to_null", OutcomeKind::Faulted, "#PF"},
      {"write_null_page", OutcomeKind::Faulted, "#PF"},
      {"write_rodata", OutcomeKind::Faulted, "#PF"},
      {"write_page_tables", OutcomeKind::Faulted, "#PF"},
      {"write_control_block", OutcomeKind::Faulted, "#PF"},
      {"int3", OutcomeKind::Faulted, "#BP"},
      {"ud2", OutcomeKind::Faulted, "#UD"},
      {"int_0x80", OutcomeKind::Faulted, "INT 0x80"},
      {"cli_hlt", OutcomeKind::Faulted, "stray hlt"},
      {"stray_hlt", OutcomeKind::Faulted, "stray hlt"},
      {"out_to_unknown_port", OutcomeKind::Faulted, "bad port"},
      {"lidt_garbage_then_ud2", OutcomeKind::Faulted, "triple fault"},
      {"host_frame_longer_than_buffer", OutcomeKind::Faulted, "bad frame"},
      {"host_frame_offset_outside", OutcomeKind::Faulted, "bad frame"},
      {"host_frame_str_without_nul", OutcomeKind::Faulted, "bad frame"},
      {"host_frame_bad_type", OutcomeKind::Faulted, "bad frame"},
      {"result_frame_claiming_4gib", OutcomeKind::Faulted, "bad frame"},
      {"abort_frame_garbage", OutcomeKind::Faulted, "bad frame"},
      {"host_call_wrong_count", OutcomeKind::HostError, "double_it"},
  };
  for (const Expected& expected : corpus) {
    const CallOutcome outcome = c.call(*box, expected.function);
    if (expected.kind == OutcomeKind::Faulted) {
      c.expect(outcome.kind == OutcomeKind::Faulted && vector_name(outcome.fault.vector) == expected.vector,
               std::string(expected.function) + " is " + expected.vector + ": " + describe(outcome));
    } else {
      c.expect(outcome.kind == expected.kind && outcome.message.find(expected.vector) != std::string::npos,
               std::string(expected.function) + ": " + describe(outcome));
    }
    c.record(expected.function, outcome);
    const CallOutcome after = c.call(*box, "still_fine", {Value::of_i64(41)});
    c.expect(after.kind == OutcomeKind::Returned && after.value.i64 == 42,
             std::string("the sandbox serves a call after ") + expected.function + ": " + describe(after));
  }

  // MSRs: the engine's control policy decides on both backends (KVM's MSR filter, the
  // emulated backend's hooks): an MSR the micro-VM doesn't have, and a change to EFER,
  // are a #GP at the instruction.
  for (const char* function : {"rdmsr_unknown", "wrmsr_efer_zero"}) {
    const CallOutcome outcome = c.call(*box, function);
    c.expect(outcome.kind == OutcomeKind::Faulted && vector_name(outcome.fault.vector) == "#GP" &&
                 outcome.fault_symbol.rfind(function, 0) == 0,
             std::string(function) + ": " + describe(outcome));
    c.record(function, outcome);
    const CallOutcome after = c.call(*box, "still_fine", {Value::of_i64(1)});
    c.expect(after.kind == OutcomeKind::Returned && after.value.i64 == 2,
             std::string("a call after ") + function + ": " + describe(after));
  }

  // A call suspended and resumed again and again (a 50 µs slice each run, as when the JS
  // thread hands a call to the sandbox's thread) goes on exactly where it stopped, with
  // the hooks on this guest's privileged instructions present (found here: Unicorn 2.0.1
  // then leaves RIP where an earlier block left it at such a stop).
  {
    const CallOutcome direct = c.call(*box, "busy_sum", {Value::of_u32(3'000'000)});
    box->begin_call(size_t(box->find_function("busy_sum")), {Value::of_u32(3'000'000)}, CallOptions{});
    int suspensions = 0;
    while (box->run(false, 50'000) == Sandbox::Step::Suspended) ++suspensions;
    const CallOutcome sliced = box->finish();
    // (KVM yields through the watchdog, which repeats every millisecond: fewer suspensions.)
    c.expect(
        direct.kind == OutcomeKind::Returned && describe(sliced) == describe(direct) && suspensions >= (kvm ? 1 : 10),
        "busy_sum suspended " + std::to_string(suspensions) + " times: " + describe(sliced) +
            ", in one run: " + describe(direct));
  }

  // A guest that never halts ends at its timeout; one that calls the host ten million
  // times in one call (a hundred thousand on KVM, where each is an exit) gets every reply.
  CallOptions timeout;
  timeout.timeout_ns = 50'000'000;
  const CallOutcome spun = c.call(*box, "never_halts", {}, timeout);
  c.expect(spun.kind == OutcomeKind::Cancelled && spun.cancel_reason == CancelReason::Timeout,
           "never_halts stops at its timeout: " + describe(spun));
  const uint32_t calls = kvm ? 100'000 : 10'000'000;
  CallOptions patient;
  patient.timeout_ns = 300'000'000'000;  // about 15 s on the emulated backend here
  const CallOutcome many = c.call(*box, "host_calls_many", {Value::of_u32(calls)}, patient);
  c.expect(many.kind == OutcomeKind::Returned && many.value.u64 == calls, "host_calls_many: " + describe(many));
  c.expect_value(c.call(*box, "still_fine", {Value::of_i64(-1)}), "0");

  // Output past the engine's limit (1 MiB a call) is cut there, and the outcome says so.
  const CallOutcome printed = c.call(*box, "print_mebibytes", {Value::of_u32(4)});
  c.expect(printed.kind == OutcomeKind::Returned && printed.output_truncated && printed.output.size() == (1u << 20),
           "4 MiB printed: 1 MiB kept, marked truncated (" + std::to_string(printed.output.size()) + " bytes)");
}

}  // namespace

std::vector<CaseDefinition> hostile_cases() { return {{"hostile guests", hostile_guests}}; }

}  // namespace conformance
