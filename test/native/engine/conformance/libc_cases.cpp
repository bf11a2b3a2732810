// The C library on both backends (test/guests/libc.c): musl's start, its system calls
// through the SDK's SYSCALL handler (KVM runs them on the CPU, the emulated backend in its
// hook), its heap on brk and mmap, the host's clock and random bytes, and the ways a C
// program ends. test/native/guest/libc.test.ts checks every header in detail; this case
// makes the backends agree on it.
#include <algorithm>
#include <cstdint>

#include "harness.h"

namespace conformance {

namespace {

void c_library(Case& c) {
  SandboxOptions options;
  options.layout.memory_size = 64 << 20;
  auto box = c.sandbox("libc", options);
  const auto returns = [&](const char* function, std::vector<Value> args, const std::string& expected) {
    const CallOutcome outcome = c.call(*box, function, std::move(args));
    c.record(function, outcome);
    c.expect_value(outcome, expected);
  };
  returns("format_double", {Value::of_str("%.17g"), Value::of_f64(0.1)}, "0.10000000000000001");
  returns("format_double", {Value::of_str("%.3e"), Value::of_f64(12345.6789)}, "1.235e+04");
  returns("strtod_round_trip", {Value::of_f64(1.0 / 3)}, "true");
  returns("strtol_errno", {Value::of_str("99999999999999999999")}, "9223372036854775807 34");
  returns("integers", {}, "5 6 -3 -1 42 255");
  returns("strings", {}, "3 alpha beta gamma|stack|12|1|/c");
  // The guest's LCG here: the smallest and the largest of the numbers it sorts.
  uint32_t state = 12345, least = UINT32_MAX, most = 0;
  for (int i = 0; i < 2000; ++i) {
    state = state * 1103515245u + 12345u;
    least = std::min(least, state);
    most = std::max(most, state);
  }
  returns("sort_and_search", {Value::of_u32(2000)}, std::to_string(uint64_t(least) + most));
  returns("grow", {Value::of_u32(16)}, "16");
  returns("calloc_zeroes", {Value::of_u32(10000)}, "true");
  returns("long_jump", {Value::of_u32(50)}, "100050");
  returns("monotonic", {}, "true");
  returns("formatted_time", {Value::of_i64(1000000000)}, "2001-09-09 01:46:40 Sun");
  returns("unsupported", {}, "-1 Function not implemented");
  returns("open_file", {}, "null Function not implemented");

  const CallOutcome printed = c.call(*box, "print_all");
  c.record("print_all", printed);
  c.expect(printed.kind == OutcomeKind::Returned && printed.output == "one 1\ntwo\nthree\n4\nfive (no newline)",
           "stdout and stderr in the call's output: " + describe(printed));
  const CallOutcome random = c.call(*box, "random_bytes", {Value::of_u32(16)});
  c.expect(random.kind == OutcomeKind::Returned && random.value.data.size() == 16,
           "16 random bytes: " + describe(random));

  const CallOutcome assertion = c.call(*box, "checked", {Value::of_i32(-1)});
  c.record("checked", assertion);
  c.expect(assertion.kind == OutcomeKind::Aborted && assertion.abort_code == 134 &&
               assertion.message.find("assertion failed: x > 0") != std::string::npos,
           "a failed assert is a guest abort: " + describe(assertion));
  const CallOutcome exited = c.call(*box, "exit_with", {Value::of_i32(3)});
  c.record("exit_with", exited);
  c.expect(exited.kind == OutcomeKind::Aborted && exited.abort_code == 3 && exited.message == "exit(3)",
           "exit(3) is a guest abort: " + describe(exited));
  // The heap exhausted, then whole again in the next call.
  const CallOutcome full = c.call(*box, "exhaust_heap");
  const CallOutcome again = c.call(*box, "exhaust_heap");
  c.expect(
      full.kind == OutcomeKind::Returned && full.value.u64 > 40 && again.value.u64 == full.value.u64,
      "malloc says no when the heap is full, and the next call has it all: " + describe(full) + ", " + describe(again));
}

}  // namespace

std::vector<CaseDefinition> libc_cases() { return {{"the C library", c_library}}; }

}  // namespace conformance
