// Isolation a guest can't undo (test/guests/tamper.c): a guest at CPL 0 changes CR0, CR3,
// CR4, EFER, MSRs, debug registers, the GDT or the IDT, then reads or writes every region
// the host protects. The write faults in that call, with the address it tried; every call
// after starts from the snapshot's control state, where the protections hold again; and
// no byte outside the call's writable regions ever changes. On both backends, and under
// AddressSanitizer (`make asan`).
#include <cstring>

#include "../../../../native/engine/core/errors.h"
#include "harness.h"

namespace conformance {

namespace {

enum Tamper : uint32_t {
  kNone = 0,
  kClearWp = 1,
  kGdtGarbage = 8,
  kOwnPageTables = 11,
  kTamperCount = 13,
};

const char* const kTamperNames[kTamperCount] = {
    "nothing",
    "CR0.WP cleared",
    "CR3 reloaded",
    "CR4.PGE flipped",
    "EFER rewritten",
    "MSRs written",
    "DR7 armed",
    "GDT copied",
    "GDT garbage",
    "IDT copied",
    "invlpg",
    "own page tables",
    "WP off, CR3 reloaded, WP on",
};

struct Target {
  std::string name;
  uint64_t address;
  bool readable;  // mapped for reading in the engine's page tables
};

constexpr int kControlStateCount = 13;  // control_state(0..12): CR0 CR3 CR4 EFER DR7 MSRs GDTR IDTR DR0

class Isolation {
 public:
  explicit Isolation(Case& c) : c_(c), box_(c.sandbox("tamper")), kvm_(c.context().backend == "kvm") {
    const Layout& layout = box_->layout();
    targets_ = {
        {"null page", 8, false},
        {"control block", MS_CONTROL_BLOCK_ADDRESS, true},
        {"GDT", MS_GDT_ADDRESS, true},
        {"IDT", MS_IDT_ADDRESS + 0x10, true},
        {"unmapped", MS_FAULT_STACK_ADDRESS + MS_FAULT_STACK_SIZE, false},
        {"page tables", MS_PAGE_TABLES_ADDRESS, false},
        {"input buffer", layout.input_buffer, true},
        {"engine code", MS_HALT_ADDRESS, true},
        {"guest code", c.call(*box_, "code_address").value.u64, true},
        {"guest read-only data", c.call(*box_, "rodata_address").value.u64, true},
        {"stack guard page", layout.stack_base - 4096 + 8, false},
    };
    for (int i = 0; i < kControlStateCount; ++i) baseline_.push_back(control_state(i));
    // What every call that restores starts from: the snapshot taken after init.
    pristine_.resize(box_->memory().size());
    box_->snapshots().read(box_->snapshots().base_id(), 0, pristine_.data(), pristine_.size());
  }

  void run() {
    for (uint32_t how = 0; how < kTamperCount; ++how) {
      for (const Target& target : targets_) {
        write_in_the_same_call(how, target);
        read_then_write_later(how, target);
      }
      tamper_then_later_calls(how, /*restore=*/true);
      tamper_then_later_calls(how, /*restore=*/false);
    }
    c_.expect_value(c_.call(*box_, "rodata_value"), std::to_string(0x1122334455667788ull));
  }

 private:
  // What the emulated backend refuses to run (Unicorn 2.0.1 can't): a guest's own page tables.
  bool unsupported(uint32_t how) const { return !kvm_ && how == kOwnPageTables; }

  std::string label(uint32_t how, const Target& target, const char* what) const {
    return std::string(kTamperNames[how]) + ", then " + what + " the " + target.name;
  }

  // The fault a write to `target` gets after `how`, in the same call.
  void write_in_the_same_call(uint32_t how, const Target& target) {
    const CallOutcome outcome = call("tamper_then_write", how, target.address);
    const std::string what = label(how, target, "write");
    if (unsupported(how)) {
      c_.expect(outcome.kind == OutcomeKind::Faulted && vector_name(outcome.fault.vector) == "unsupported",
                what + ": " + describe(outcome));
    } else if (how == kOwnPageTables && target.name == "page tables") {
      // KVM: the page tables' slot is writable (a CPU walking them asks for write access),
      // and the guest's own page tables map it; the restore puts them back.
      c_.expect(outcome.kind == OutcomeKind::Returned, what + ": " + describe(outcome));
    } else if (how == kGdtGarbage) {
      // The #PF can't be delivered without a code segment: a triple fault.
      c_.expect(outcome.kind == OutcomeKind::Faulted && vector_name(outcome.fault.vector) == "triple fault",
                what + ": " + describe(outcome));
    } else {
      c_.expect(outcome.kind == OutcomeKind::Faulted && vector_name(outcome.fault.vector) == "#PF" &&
                    outcome.fault.has_cr2 && outcome.fault.cr2 == target.address &&
                    outcome.fault_symbol.rfind("tamper_then_write", 0) == 0,
                what + " faults at the store with CR2 " + hex(target.address) + ": " + describe(outcome));
    }
    // One outcome of what the emulated backend can't run goes to the differential: the
    // rest differ the same way.
    if (how != kOwnPageTables || target.name == "control block") c_.record(what, outcome);
    if (outcome.kind == OutcomeKind::Returned) c_.call(*box_, "still_fine", {Value::of_i64(0)});  // restores first
    expect_isolated(what, outcome.kind != OutcomeKind::Returned);
  }

  // A read after `how` (which may leave a writable translation in a TLB), then a write
  // from a later call, which must fault.
  void read_then_write_later(uint32_t how, const Target& target) {
    const CallOutcome read = call("tamper_then_read", how, target.address);
    const std::string what = label(how, target, "read");
    if (unsupported(how)) {
      c_.expect(read.kind == OutcomeKind::Faulted, what + ": " + describe(read));
    } else if (how == kOwnPageTables) {
      // KVM: the guest's own tables map everything; what is in no slot still faults.
      const bool in_a_slot = target.readable || target.name == "page tables";
      c_.expect((read.kind == OutcomeKind::Returned) == in_a_slot, what + ": " + describe(read));
    } else if (!target.readable) {
      const char* vector = how == kGdtGarbage ? "triple fault" : "#PF";
      c_.expect(read.kind == OutcomeKind::Faulted && vector_name(read.fault.vector) == vector,
                what + ": " + describe(read));
    } else {
      c_.expect(read.kind == OutcomeKind::Returned, what + ": " + describe(read));
    }
    const CallOutcome later = call("tamper_then_write", kNone, target.address);
    c_.expect(later.kind == OutcomeKind::Faulted && vector_name(later.fault.vector) == "#PF" &&
                  later.fault.cr2 == target.address,
              what + ", then a later call writes it: " + describe(later));
    expect_isolated(what + ", then a later call writes it", true);
  }

  // `how` in a call that returns, then calls that restore (or, with `restore` false,
  // keep the vCPU as it was left): every protected region still faults.
  void tamper_then_later_calls(uint32_t how, bool restore) {
    CallOptions options;
    options.restore = restore;
    const std::string what = std::string(kTamperNames[how]) + (restore ? "" : " (calls without restore)");
    const CallOutcome tampered = c_.call(*box_, "tamper_only", {Value::of_u32(how)}, options);
    if (unsupported(how)) {
      c_.expect(tampered.kind == OutcomeKind::Faulted, what + ": " + describe(tampered));
    } else {
      c_.expect(tampered.kind == OutcomeKind::Returned, what + " returns: " + describe(tampered));
    }
    // Without restore the vCPU stays as the guest left it until a call fails (which
    // restores the snapshot).
    bool still_tampered = !restore && tampered.kind == OutcomeKind::Returned;
    for (const Target& target : targets_) {
      const CallOutcome later =
          c_.call(*box_, "tamper_then_write", {Value::of_u32(kNone), Value::of_u64(target.address)}, options);
      const std::string later_what = what + ", then a later call writes the " + target.name;
      if (still_tampered && how == kOwnPageTables && target.name == "page tables") {
        c_.expect(later.kind == OutcomeKind::Returned, later_what + ": " + describe(later));  // see above
      } else if (still_tampered && how == kGdtGarbage) {
        c_.expect(later.kind == OutcomeKind::Faulted && vector_name(later.fault.vector) == "triple fault",
                  later_what + ": " + describe(later));
      } else {
        c_.expect(later.kind == OutcomeKind::Faulted && vector_name(later.fault.vector) == "#PF" &&
                      later.fault.cr2 == target.address,
                  later_what + ": " + describe(later));
      }
      if (later.kind == OutcomeKind::Returned) c_.call(*box_, "still_fine", {Value::of_i64(0)});  // restores first
      still_tampered = false;  // that call failed, or still_fine restored
      expect_isolated(later_what, later.kind != OutcomeKind::Returned);
    }
    // A call that restores starts from the snapshot's control state, whatever came before.
    const CallOutcome fine = c_.call(*box_, "still_fine", {Value::of_i64(41)});
    c_.expect(fine.kind == OutcomeKind::Returned && fine.value.i64 == 42,
              what + ", then still_fine: " + describe(fine));
    for (int i = 0; i < kControlStateCount; ++i) {
      const uint64_t now = control_state(i);
      c_.expect(now == baseline_[i], what + ": control_state(" + std::to_string(i) + ") is " + hex(now) +
                                         " in a later call, " + hex(baseline_[i]) + " at the snapshot");
    }
  }

  CallOutcome call(const char* function, uint32_t how, uint64_t address) {
    return c_.call(*box_, function, {Value::of_u32(how), Value::of_u64(address)});
  }

  uint64_t control_state(int which) {
    const CallOutcome outcome = c_.call(*box_, "control_state", {Value::of_u32(uint32_t(which))});
    c_.expect(outcome.kind == OutcomeKind::Returned, "control_state: " + describe(outcome));
    return outcome.value.u64;
  }

  // Guest memory against the snapshot's, page by page: after a call that failed (and was
  // restored) every page but the I/O buffers (transport, not state) is as it was; after
  // one that returned, only writable regions may differ.
  void expect_isolated(const std::string& what, bool restored) {
    const Layout& layout = box_->layout();
    const uint8_t* now = box_->memory().host();
    for (uint64_t page = 0; page < pristine_.size(); page += MS_PAGE_SIZE) {
      if (std::memcmp(now + page, pristine_.data() + page, MS_PAGE_SIZE) == 0) continue;
      if (page >= layout.input_buffer && page < layout.output_buffer + layout.io_buffer_size) continue;
      const Region* region = layout.region_at(page);
      const bool writable = region && (region->access & kWrite);
      if (restored || !writable) {
        c_.expect(false, what + ": page " + hex(page) + " (" + (region ? region->name : "?") + ") changed" +
                             (restored ? " although the call was restored" : ", and the guest may not write it"));
        return;
      }
    }
  }

  Case& c_;
  std::unique_ptr<Sandbox> box_;
  bool kvm_;
  std::vector<Target> targets_;
  std::vector<uint64_t> baseline_;
  std::vector<uint8_t> pristine_;
};

void isolation(Case& c) { Isolation(c).run(); }

}  // namespace

std::vector<CaseDefinition> isolation_cases() { return {{"isolation under hostile control state", isolation}}; }

}  // namespace conformance
