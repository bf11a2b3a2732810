// SYSCALL on both backends (test/guests/syscalls.c): the entry state's STAR, LSTAR and
// SFMASK; -ENOSYS from the engine's stub with no handler of the guest's; the guest's own
// handler reached with RCX, R11 and RFLAGS as the CPU sets them; and the next call back at
// the snapshot's LSTAR.
#include "../../../../native/include/microscope/abi.h"
#include "harness.h"

namespace conformance {

namespace {

void syscalls(Case& c) {
  auto box = c.sandbox("syscalls");
  const auto value_of = [&](const char* function, std::vector<Value> args = {}) {
    const CallOutcome outcome = c.call(*box, function, std::move(args));
    c.record(function, outcome);
    c.expect(outcome.kind == OutcomeKind::Returned, std::string(function) + ": " + describe(outcome));
    return outcome.value;
  };
  c.expect(value_of("star").u64 == uint64_t(0x08) << 32, "STAR holds the guest's code selector");
  c.expect(value_of("lstar").u64 == MS_NO_SYSCALL_ADDRESS, "LSTAR is the engine's -ENOSYS stub");
  c.expect(value_of("sfmask").u64 == 0x400, "SFMASK masks DF only");
  c.expect(value_of("without_handler").i64 == -38, "a syscall with no handler is -ENOSYS, r12 kept");
  const Value sum = value_of("with_handler", {Value::of_i64(40), Value::of_i64(2)});
  c.expect(sum.i64 == 42, "the guest's handler: RCX, R11, DF and its sum (got " + std::to_string(sum.i64) + ")");
  // The call changed LSTAR; the next one starts from the snapshot's.
  c.expect(value_of("lstar").u64 == MS_NO_SYSCALL_ADDRESS, "LSTAR is back at the snapshot's after a restore");
  c.expect(value_of("without_handler").i64 == -38, "and a syscall is -ENOSYS again");
}

}  // namespace

std::vector<CaseDefinition> syscall_cases() { return {{"system calls", syscalls}}; }

}  // namespace conformance
