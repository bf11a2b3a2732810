#include "kvm_recording.h"

#include <algorithm>
#include <cstring>

#include "../../../include/microscope/abi.h"
#include "../errors.h"

namespace microscope {

namespace {

constexpr uint64_t kPage = 4096;

// The host's replies, in order: on KVM there are no positions to log them by.
class ReplyLog final : public CallRecorder {
 public:
  explicit ReplyLog(std::deque<GivenReply>& replies) : replies_(replies) {}
  const HostReply* replayed(const std::string&, uint64_t) override { return nullptr; }
  void recorded(const std::string& function, const HostReply& reply, uint64_t) override {
    replies_.push_back({function, reply});
  }

 private:
  std::deque<GivenReply>& replies_;
};

bool same_value(const Value& a, const Value& b) { return a.type == b.type && a.u64 == b.u64 && a.data == b.data; }

std::string describe(const CallOutcome& outcome) {
  std::string text = outcome_kind_name(outcome.kind);
  if (outcome.kind == OutcomeKind::Faulted) text += " (" + describe_fault(outcome.fault, "") + ")";
  if (outcome.kind == OutcomeKind::Returned && outcome.value.type != Type::Void && outcome.value.type != Type::Str &&
      outcome.value.type != Type::Bytes)
    text += " " + hex(outcome.value.u64);
  return text;
}

// A fault is delivered through the engine's IDT to its stub, which pushes RAX and RDX on
// the exception frame (fault_handlers.cpp) and exits. Where a backend leaves the vCPU in
// the stub, the registers the guest had at the faulting instruction come back from that
// frame, for the two backends' to be compared.
void guest_registers_at_fault(const GuestMemory& memory, Registers* registers) {
  if (registers->rip < MS_ENGINE_CODE_ADDRESS || registers->rip >= MS_ENGINE_CODE_ADDRESS + MS_PAGE_SIZE) return;
  const uint8_t* frame = memory.range(registers->rsp, 64);
  if (!frame) return;
  std::memcpy(&registers->rdx, frame, 8);
  std::memcpy(&registers->rax, frame + 8, 8);
  std::memcpy(&registers->rip, frame + 32, 8);
  std::memcpy(&registers->rsp, frame + 56, 8);
}

// The engine's own pages, which the guest can't address and the backends use each their
// own way: the page tables (the twin's have no NX bits, and KVM reports them written
// when its walk sets the bits already set) and the fault stack (KVM pushes an exception
// frame there; the emulated backend stops at the faulting instruction).
bool engine_page(uint32_t page, const Layout& layout) {
  const uint64_t at = uint64_t(page) * kPage;
  return (at >= MS_PAGE_TABLES_ADDRESS && at < layout.page_tables_end) ||
         (at >= MS_FAULT_STACK_ADDRESS && at < MS_FAULT_STACK_ADDRESS + MS_FAULT_STACK_SIZE);
}

}  // namespace

KvmRun run_to_end_on_own_backend(Sandbox& sandbox) {
  KvmRun run;
  ReplyLog log(run.replies);
  sandbox.record(&log);  // and a cancel yields, rather than stopping the vCPU anywhere
  Sandbox::Step step;
  try {
    step = sandbox.run(true, 0);
  } catch (...) {
    sandbox.record(nullptr);
    throw;
  }
  sandbox.record(nullptr);
  const char* backend = sandbox.backend_name();
  if (step == Sandbox::Step::Paused) {
    sandbox.end_paused_call("paused while it was being recorded");
    sandbox.finish();
    throw usage_error(std::string("the call was paused while it ran on ") + backend +
                      " to be recorded: a recording there runs the call to its end first, then replays it");
  }
  if (sandbox.ending().kind == OutcomeKind::Cancelled) {
    sandbox.finish();
    throw usage_error(std::string("the call was cancelled while it ran on ") + backend +
                      " to be recorded: where it was then can't be told, so it can't be replayed");
  }
  Backend& own = sandbox.backend();
  run.registers = own.registers();
  if (sandbox.ending().kind == OutcomeKind::Faulted) guest_registers_at_fault(sandbox.memory(), &run.registers);
  run.sse = own.sse_registers();
  own.collect_dirty_pages();
  run.pages = sandbox.memory().dirty().pages();
  std::sort(run.pages.begin(), run.pages.end());
  run.contents.resize(run.pages.size() * kPage);
  for (size_t i = 0; i < run.pages.size(); ++i)
    std::memcpy(&run.contents[i * kPage], sandbox.memory().host() + uint64_t(run.pages[i]) * kPage, kPage);
  run.outcome = sandbox.finish();
  return run;
}

std::string replay_difference(const KvmRun& run, Sandbox& sandbox, const Recording& recording) {
  const std::string own = sandbox.backend_name();
  const std::string prefix = "the replay on the emulated backend doesn't match the call on " + own + ": ";
  if (recording.unlogged_input() != kNoPosition) {
    return "at position " + std::to_string(recording.unlogged_input()) +
           " the guest read the time stamp counter or the random number generator (rdtsc, rdtscp, rdrand or rdseed), "
           "which " +
           own +
           " doesn't show the host, so a replay can't give it the same values: record this call on "
           "the emulated backend";
  }
  const CallOutcome& replayed = sandbox.ending();
  const CallOutcome& made = run.outcome;
  const bool same_fault = made.kind != OutcomeKind::Faulted ||
                          (made.fault.vector == replayed.fault.vector && made.fault.rip == replayed.fault.rip);
  if (made.kind != replayed.kind || !same_fault ||
      (made.kind == OutcomeKind::Returned && !same_value(made.value, replayed.value)))
    return prefix + "it ended " + describe(replayed) + ", where on " + own + " it ended " + describe(made);
  if (recording.replies_left())
    return prefix + "it made " + std::to_string(recording.replies_left()) + " host calls fewer";
  if (made.output != replayed.output) return prefix + "it printed something else";

  Backend& twin = sandbox.backend();
  Registers now = twin.registers();
  if (replayed.kind == OutcomeKind::Faulted) guest_registers_at_fault(sandbox.memory(), &now);
  // After a triple fault KVM's vCPU holds nothing of the guest's (AMD's SVM resets it).
  const bool registers_known = made.kind != OutcomeKind::Faulted || made.fault.vector != kVectorTripleFault;
  static const char* const kNames[16] = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
                                         "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
  const uint64_t* a = &run.registers.rax;
  const uint64_t* b = &now.rax;
  for (int i = 0; registers_known && i < 16; ++i) {
    if (a[i] != b[i])
      return prefix + std::string(kNames[i]) + " is " + hex(b[i]) + " at the end, where on " + own + " it was " +
             hex(a[i]);
  }
  const SseRegisters sse = twin.sse_registers();
  for (int i = 0; i < 16; ++i) {
    if (std::memcmp(sse.xmm[i], run.sse.xmm[i], 16) != 0)
      return prefix + "xmm" + std::to_string(i) + " differs at the end";
  }
  if (sse.mxcsr != run.sse.mxcsr) return prefix + "mxcsr differs at the end";

  // Every page either wrote: as the call on KVM left it, or as the snapshot has it.
  twin.collect_dirty_pages();
  std::vector<uint32_t> pages = sandbox.memory().dirty().pages();
  pages.insert(pages.end(), run.pages.begin(), run.pages.end());
  std::sort(pages.begin(), pages.end());
  pages.erase(std::unique(pages.begin(), pages.end()), pages.end());
  pages.erase(
      std::remove_if(pages.begin(), pages.end(), [&](uint32_t page) { return engine_page(page, sandbox.layout()); }),
      pages.end());
  std::vector<uint8_t> expected(kPage);
  Snapshots& snapshots = sandbox.snapshots();
  for (uint32_t page : pages) {
    auto held = std::lower_bound(run.pages.begin(), run.pages.end(), page);
    const uint8_t* want;
    if (held != run.pages.end() && *held == page) {
      want = &run.contents[size_t(held - run.pages.begin()) * kPage];
    } else {
      snapshots.read(snapshots.base_id(), uint64_t(page) * kPage, expected.data(), kPage);
      want = expected.data();
    }
    const uint8_t* have = sandbox.memory().host() + uint64_t(page) * kPage;
    for (uint64_t i = 0; i < kPage; ++i) {
      if (want[i] != have[i])
        return prefix + "the byte at " + hex(uint64_t(page) * kPage + i) + " is " + hex(have[i]) +
               " at the end, where on " + own + " it was " + hex(want[i]);
    }
  }
  return "";
}

}  // namespace microscope
