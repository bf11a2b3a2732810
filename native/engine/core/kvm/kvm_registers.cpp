#include "kvm_registers.h"

#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>

#include "../control_policy.h"
#include "../errors.h"
#include "../layout.h"

namespace microscope {

namespace {

void check(int result, const char* what) {
  if (result < 0) throw EngineError(ErrorKind::Backend, std::string("KVM: ") + what + ": " + std::strerror(errno));
}

// struct kvm_msrs by hand: in C++ its header's __DECLARE_FLEX_ARRAY moves the entries
// and changes the size the ioctl numbers are built from (as for kvm_cpuid2).
constexpr size_t kMaxMsrs = 16;
struct MsrList {
  uint32_t count = 0, pad = 0;
  kvm_msr_entry entries[kMaxMsrs];
};
constexpr unsigned long kGetMsrs = _IOC(_IOC_READ | _IOC_WRITE, KVMIO, 0x88, 8);
constexpr unsigned long kSetMsrs = _IOC(_IOC_WRITE, KVMIO, 0x89, 8);

class KvmCpuState : public CpuState {
 public:
  kvm_regs regs;
  kvm_sregs sregs;
  kvm_fpu fpu;
  MsrList msrs;
  kvm_debugregs debug;
  kvm_vcpu_events events;
};

// FS and GS bases are in the special registers' segments; the rest only here.
MsrList guest_msr_list() {
  MsrList list;
  for (uint32_t index : guest_writable_msrs()) {
    if (index == 0xc0000100 || index == 0xc0000101) continue;
    list.entries[list.count++] = kvm_msr_entry{index, 0, 0};
  }
  return list;
}

kvm_segment segment(uint16_t selector, uint8_t type, bool code) {
  kvm_segment s{};
  s.base = 0;
  s.limit = 0xffffffff;
  s.selector = selector;
  s.type = type;
  s.present = 1;
  s.dpl = 0;
  s.db = code ? 0 : 1;
  s.s = 1;
  s.l = code ? 1 : 0;
  s.g = 1;
  return s;
}

}  // namespace

Registers from_kvm(const kvm_regs& r) {
  return Registers{r.rax, r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, r.rbp, r.rsp, r.r8,
                   r.r9,  r.r10, r.r11, r.r12, r.r13, r.r14, r.r15, r.rip, r.rflags};
}

void to_kvm(const Registers& r, kvm_regs* k) {
  *k = kvm_regs{r.rax, r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, r.rsp, r.rbp, r.r8,
                r.r9,  r.r10, r.r11, r.r12, r.r13, r.r14, r.r15, r.rip, r.rflags};
}

SpecialRegisters from_kvm(const kvm_sregs& s) {
  auto seg = [](const kvm_segment& k) { return SegmentRegister{k.selector, k.base, k.limit}; };
  SpecialRegisters r{};
  r.cs = seg(s.cs), r.ds = seg(s.ds), r.es = seg(s.es), r.fs = seg(s.fs), r.gs = seg(s.gs), r.ss = seg(s.ss);
  r.tr = seg(s.tr);
  r.gdt = {s.gdt.base, s.gdt.limit};
  r.idt = {s.idt.base, s.idt.limit};
  r.cr0 = s.cr0, r.cr2 = s.cr2, r.cr3 = s.cr3, r.cr4 = s.cr4, r.efer = s.efer;
  return r;
}

void to_kvm(const SpecialRegisters& r, kvm_sregs* s) {
  auto seg = [](const SegmentRegister& from, kvm_segment* to) {
    to->selector = from.selector;
    to->base = from.base;
  };
  seg(r.cs, &s->cs), seg(r.ds, &s->ds), seg(r.es, &s->es), seg(r.fs, &s->fs), seg(r.gs, &s->gs), seg(r.ss, &s->ss);
  s->gdt.base = r.gdt.base, s->gdt.limit = r.gdt.limit;
  s->idt.base = r.idt.base, s->idt.limit = r.idt.limit;
  s->cr0 = r.cr0, s->cr2 = r.cr2, s->cr3 = r.cr3, s->cr4 = r.cr4, s->efer = r.efer;
}

void write_kvm_entry_state(int vcpu, uint64_t efer_extra) {
  kvm_sregs s;
  check(ioctl(vcpu, KVM_GET_SREGS, &s), "KVM_GET_SREGS");
  s.cs = segment(kCodeSelector, 0xb, true);                               // execute/read, accessed
  s.ds = s.es = s.fs = s.gs = s.ss = segment(kDataSelector, 0x3, false);  // read/write, accessed
  s.tr = kvm_segment{};
  s.tr.base = kTssAddress;
  s.tr.limit = 103;
  s.tr.selector = kTssSelector;
  s.tr.type = 0xb;  // busy 64-bit TSS
  s.tr.present = 1;
  s.ldt = kvm_segment{};
  s.ldt.unusable = 1;
  s.gdt.base = MS_GDT_ADDRESS;
  s.gdt.limit = kGdtLimit;
  s.idt.base = MS_IDT_ADDRESS;
  s.idt.limit = kIdtLimit;
  s.cr0 = kEntryCr0;
  s.cr3 = MS_PAGE_TABLES_ADDRESS;
  s.cr4 = kEntryCr4;
  s.efer = kEntryEfer | efer_extra;
  check(ioctl(vcpu, KVM_SET_SREGS, &s), "KVM_SET_SREGS");
  kvm_regs r{};
  r.rflags = kEntryRflags;
  check(ioctl(vcpu, KVM_SET_REGS, &r), "KVM_SET_REGS");
  // x87 and SSE as after FNINIT and a reset: control word 0x37f, MXCSR 0x1f80.
  kvm_fpu fpu{};
  fpu.fcw = 0x37f;
  fpu.mxcsr = 0x1f80;
  check(ioctl(vcpu, KVM_SET_FPU, &fpu), "KVM_SET_FPU");
  MsrList syscall_msrs;
  syscall_msrs.count = 3;
  syscall_msrs.entries[0] = kvm_msr_entry{kStarMsr, 0, kEntryStar};
  syscall_msrs.entries[1] = kvm_msr_entry{kLstarMsr, 0, kEntryLstar};
  syscall_msrs.entries[2] = kvm_msr_entry{kSfmaskMsr, 0, kEntrySfmask};
  if (ioctl(vcpu, kSetMsrs, &syscall_msrs) != 3) check(-1, "KVM_SET_MSRS (SYSCALL)");
}

std::unique_ptr<CpuState> save_kvm_cpu(int vcpu) {
  auto state = std::make_unique<KvmCpuState>();
  check(ioctl(vcpu, KVM_GET_REGS, &state->regs), "KVM_GET_REGS");
  check(ioctl(vcpu, KVM_GET_SREGS, &state->sregs), "KVM_GET_SREGS");
  check(ioctl(vcpu, KVM_GET_FPU, &state->fpu), "KVM_GET_FPU");
  state->msrs = guest_msr_list();
  if (ioctl(vcpu, kGetMsrs, &state->msrs) != int(state->msrs.count)) check(-1, "KVM_GET_MSRS");
  check(ioctl(vcpu, KVM_GET_DEBUGREGS, &state->debug), "KVM_GET_DEBUGREGS");
  check(ioctl(vcpu, KVM_GET_VCPU_EVENTS, &state->events), "KVM_GET_VCPU_EVENTS");
  return state;
}

void restore_kvm_cpu(int vcpu, const CpuState& saved, bool events) {
  const auto& state = static_cast<const KvmCpuState&>(saved);
  check(ioctl(vcpu, KVM_SET_SREGS, &state.sregs), "KVM_SET_SREGS");
  check(ioctl(vcpu, KVM_SET_REGS, &state.regs), "KVM_SET_REGS");
  check(ioctl(vcpu, KVM_SET_FPU, &state.fpu), "KVM_SET_FPU");
  if (ioctl(vcpu, kSetMsrs, &state.msrs) != int(state.msrs.count)) check(-1, "KVM_SET_MSRS");
  check(ioctl(vcpu, KVM_SET_DEBUGREGS, &state.debug), "KVM_SET_DEBUGREGS");
  if (events) check(ioctl(vcpu, KVM_SET_VCPU_EVENTS, &state.events), "KVM_SET_VCPU_EVENTS");
}

bool read_kvm_msr(int vcpu, uint32_t index, uint64_t* value) {
  MsrList list;
  list.count = 1;
  list.entries[0] = kvm_msr_entry{index, 0, 0};
  if (ioctl(vcpu, kGetMsrs, &list) != 1) return false;
  *value = list.entries[0].data;
  return true;
}

bool write_kvm_msr(int vcpu, uint32_t index, uint64_t value) {
  MsrList list;
  list.count = 1;
  list.entries[0] = kvm_msr_entry{index, 0, value};
  return ioctl(vcpu, kSetMsrs, &list) == 1;
}

}  // namespace microscope
