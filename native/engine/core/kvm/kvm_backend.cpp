// The KVM backend: one VM with one vCPU per sandbox, driven through /dev/kvm ioctls. The
// guest runs on the hardware, isolated by it; the engine sees it only through exits.
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <vector>

#include "../control_policy.h"
#include "../errors.h"
#include "../fault_handlers.h"
#include "kvm_device.h"
#include "kvm_memory.h"
#include "kvm_msrs.h"
#include "kvm_registers.h"
#include "kvm_watches.h"
#include "register_cache.h"
#include "sample_timer.h"
#include "vcpu_kick.h"

namespace microscope {

namespace {

// Where KVM puts the three pages Intel's VMX needs for real-mode emulation: above any
// guest memory (at most 256 MiB).
constexpr uint64_t kVmxTssAddress = 0xfffbd000;
// NXE, and SCE for `syscall`: Unicorn 2.0.1 can set neither (its backend runs SYSCALL
// itself, guest_hooks.cpp).
constexpr uint64_t kEferNoExecuteAndSyscall = 0x801;

void check(int result, const char* what) {
  if (result < 0) throw EngineError(ErrorKind::Backend, std::string("KVM: ") + what + ": " + std::strerror(errno));
}

class KvmBackend : public Backend {
 public:
  KvmBackend(GuestMemory& memory, const Layout& layout) : memory_(memory) {
    kvm_ = open_kvm();
    check(kvm_, "open /dev/kvm");
    try {
      vm_ = ioctl(kvm_, KVM_CREATE_VM, 0);
      check(vm_, "KVM_CREATE_VM");
      check(ioctl(vm_, KVM_SET_TSS_ADDR, kVmxTssAddress), "KVM_SET_TSS_ADDR");
      filter_msrs(vm_);
      const bool dirty_ring = DirtyRing::enable(vm_);
      slots_ = std::make_unique<KvmMemory>(vm_, memory_, layout);
      watches_ = std::make_unique<KvmWatches>(*slots_);
      slots_->map({});
      vcpu_ = ioctl(vm_, KVM_CREATE_VCPU, 0);
      check(vcpu_, "KVM_CREATE_VCPU");
      if (dirty_ring) {
        dirty_ring_.attach(vm_, vcpu_);
        slots_->attach_dirty_ring(&dirty_ring_);
      }
      const int run_size = ioctl(kvm_, KVM_GET_VCPU_MMAP_SIZE, 0);
      check(run_size, "KVM_GET_VCPU_MMAP_SIZE");
      run_size_ = size_t(run_size);
      void* run = mmap(nullptr, run_size_, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_, 0);
      if (run == MAP_FAILED) check(-1, "mmap kvm_run");
      run_ = static_cast<kvm_run*>(run);
      if (!set_supported_cpuid(kvm_, vcpu_, &cpuid_)) check(-1, "set the vCPU's CPUID");
      regs_ = std::make_unique<RegisterCache>(vcpu_, run_, ioctl(kvm_, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS) > 0);
      write_kvm_entry_state(vcpu_, kEferNoExecuteAndSyscall);
      set_guest_debug(false);
    } catch (...) {
      release();
      throw;
    }
  }

  ~KvmBackend() override { release(); }

  const char* name() const override { return "kvm"; }
  bool runs_on_any_thread() const override { return false; }

  RunExit run(IoHandler& io) override {
    if (needs_cpu_restore_) {
      error_ = "the CPU state must be restored after a fault before the guest runs again";
      return {ExitKind::Error};
    }
    stop_requested_.store(false, std::memory_order_relaxed);
    yield_requested_.store(false, std::memory_order_relaxed);
    kick_.enter(run_);
    const RunExit exit = run_until_exit(io);
    kick_.leave();
    ended_at_halt_ = exit.kind == ExitKind::Halted;
    return exit;
  }

  const Fault& fault() const override { return fault_; }
  const std::string& error() const override { return error_; }

  void request_stop() override {
    stop_requested_.store(true, std::memory_order_release);
    kick_.kick(run_);
  }

  void request_yield() override {
    yield_requested_.store(true, std::memory_order_release);
    kick_.kick(run_);
  }

  void set_entry(const EntryRegisters& entry) override {
    kvm_regs& regs = regs_->for_update();
    std::memset(&regs, 0, sizeof regs);
    regs.rip = entry.rip;
    regs.rsp = entry.rsp;
    regs.rflags = kEntryRflags;
    __u64* const integer_registers[] = {&regs.rdi, &regs.rsi, &regs.rdx, &regs.rcx, &regs.r8, &regs.r9};
    for (int i = 0; i < entry.integer_count; ++i) *integer_registers[i] = entry.integers[i];
    if (entry.float_count) {
      kvm_fpu fpu;
      check(ioctl(vcpu_, KVM_GET_FPU, &fpu), "KVM_GET_FPU");
      for (int i = 0; i < entry.float_count; ++i) std::memcpy(fpu.xmm[i], &entry.floats[i], 8);
      check(ioctl(vcpu_, KVM_SET_FPU, &fpu), "KVM_SET_FPU");
    }
  }

  void read_result(uint64_t* rax, double* xmm0) override {
    *rax = regs_->current().rax;
    if (xmm0) {
      kvm_fpu fpu;
      check(ioctl(vcpu_, KVM_GET_FPU, &fpu), "KVM_GET_FPU");
      std::memcpy(xmm0, fpu.xmm[0], 8);
    }
  }

  Registers registers() override { return from_kvm(regs_->current()); }

  void set_registers(const Registers& registers) override { to_kvm(registers, &regs_->for_update()); }

  SpecialRegisters special_registers() override {
    kvm_sregs sregs;
    check(ioctl(vcpu_, KVM_GET_SREGS, &sregs), "KVM_GET_SREGS");
    return from_kvm(sregs);
  }

  void set_special_registers(const SpecialRegisters& registers) override {
    kvm_sregs sregs;
    check(ioctl(vcpu_, KVM_GET_SREGS, &sregs), "KVM_GET_SREGS");
    to_kvm(registers, &sregs);
    check(ioctl(vcpu_, KVM_SET_SREGS, &sregs), "KVM_SET_SREGS");
  }

  uint64_t stack_pointer() override { return regs_->current().rsp; }

  void argument_registers(uint64_t out[6]) override {
    const kvm_regs& r = regs_->current();
    const uint64_t values[6] = {r.rdi, r.rsi, r.rdx, r.rcx, r.r8, r.r9};
    std::memcpy(out, values, sizeof values);
  }

  bool observe_blocks(BlockObserver*) override { return false; }
  bool cpuid_table(std::vector<CpuidEntry>* out) const override {
    *out = cpuid_;
    return true;
  }

  bool start_sampling(uint64_t period_ns) override { return sampling_.start(thread_, period_ns); }
  void stop_sampling() override { sampling_.stop(); }

  SseRegisters sse_registers() override {
    kvm_fpu fpu;
    check(ioctl(vcpu_, KVM_GET_FPU, &fpu), "KVM_GET_FPU");
    SseRegisters sse{};
    std::memcpy(sse.xmm, fpu.xmm, sizeof sse.xmm);
    sse.mxcsr = fpu.mxcsr;
    return sse;
  }

  void set_sse_registers(const SseRegisters& sse) override {
    kvm_fpu fpu;
    check(ioctl(vcpu_, KVM_GET_FPU, &fpu), "KVM_GET_FPU");
    std::memcpy(fpu.xmm, sse.xmm, sizeof sse.xmm);
    fpu.mxcsr = sse.mxcsr;
    check(ioctl(vcpu_, KVM_SET_FPU, &fpu), "KVM_SET_FPU");
  }

  std::unique_ptr<CpuState> save_cpu() override {
    regs_->flush();
    return save_kvm_cpu(vcpu_);
  }

  void restore_cpu(const CpuState& state) override {
    if (mmio_pending_) {
      // KVM finishes an MMIO read the engine refused at the next KVM_RUN, with the state
      // of then, over whatever was restored meanwhile: let it finish first, going nowhere.
      run_->immediate_exit = 1;
      ioctl(vcpu_, KVM_RUN, 0);
      run_->immediate_exit = 0;
      mmio_pending_ = false;
    }
    // A call that ended anywhere but the halt stub (a fault, a stop) may have left an
    // exception or an interrupt shadow pending in the vCPU.
    restore_kvm_cpu(vcpu_, state, !ended_at_halt_);
    ended_at_halt_ = true;
    regs_->forget();
    needs_cpu_restore_ = false;
  }

  void collect_dirty_pages() override { slots_->collect_dirty_pages(); }

  void code_rewritten(uint64_t, uint64_t) override {
    // Nothing to do: the CPU sees the host's writes to guest memory as they happen.
  }

  // Single steps through KVM's guest debugging. Breakpoints need nothing here: an int3
  // reaches the engine's own #BP stub like any exception (KVM's #BP intercept is not
  // used: QEMU's emulated SVM, where the KVM suite runs, never raises it for INT3).
  // Watches: kvm_watches.h.
  void set_debug(const DebugControl& control) override {
    watches_->set(control.watches);
    set_guest_debug(control.single_step);
    breakpoints_ = control.breakpoints;
  }

  const WatchHit& watch_hit() const override { return watches_->hit(); }

 private:
  void release() {
    if (run_) munmap(run_, run_size_);
    for (int fd : {vcpu_, vm_, kvm_}) {
      if (fd >= 0) close(fd);
    }
    run_ = nullptr;
    vcpu_ = vm_ = kvm_ = -1;
  }

  RunExit run_until_exit(IoHandler& io) {
    for (;;) {
      regs_->push_for_run();
      const int result = ioctl(vcpu_, KVM_RUN, 0);
      regs_->after_run();
      if (result < 0) {
        if (errno != EINTR && errno != EAGAIN) {
          error_ = std::string("KVM_RUN: ") + std::strerror(errno);
          return {ExitKind::Error};
        }
        run_->immediate_exit = 0;
        if (watches_->pending()) {
          watches_->clear_pending();  // its instruction is complete now
          return {ExitKind::Watched};
        }
        if (stop_requested_.load(std::memory_order_acquire)) return {ExitKind::Stopped};
        if (yield_requested_.load(std::memory_order_acquire)) return {ExitKind::Yielded};
        if (sampling_.running() && sampling_.ticked()) return {ExitKind::Yielded};
        continue;  // a signal meant for an earlier run
      }
      switch (run_->exit_reason) {
        case KVM_EXIT_IO: {
          RunExit exit{ExitKind::Stopped};
          if (!serve_io(io, &exit)) return exit;
          break;
        }
        case KVM_EXIT_HLT: {
          const uint64_t rip = regs_->current().rip;
          if (rip == MS_HALT_ADDRESS + 1) return {ExitKind::Halted};
          return fault_exit(kVectorStrayHalt, rip - 1, "");
        }
        case KVM_EXIT_MMIO: {
          if (watches_->serve(run_, regs_->current().rip)) break;
          const uint64_t address = run_->mmio.phys_addr;
          const Region* region = memory_.contains(address, 1) ? slots_->region_at(address) : nullptr;
          const char* what = !region                                 ? "access outside guest memory"
                             : region->access && run_->mmio.is_write ? "write to read-only guest memory"
                                                                     : "access to unmapped guest memory";
          RunExit exit = fault_exit(14, regs_->current().rip, what);
          fault_.has_cr2 = true;
          fault_.cr2 = address;
          mmio_pending_ = true;
          if (region && region->access && run_->mmio.is_write) {
            fault_.has_error_code = true;
            fault_.error_code = 0x3;  // present, write
          }
          fault_.rip_after = run_->mmio.is_write;
          return exit;
        }
        case KVM_EXIT_X86_RDMSR:
        case KVM_EXIT_X86_WRMSR:
          msrs_.serve(vcpu_, run_, run_->exit_reason == KVM_EXIT_X86_WRMSR, regs_->current().rip);
          break;
        case KVM_EXIT_SHUTDOWN: {
          // AMD's SVM resets the vCPU on a shutdown: its registers name no instruction.
          RunExit exit = fault_exit(kVectorTripleFault, 0, "the vCPU shut down");
          fault_.rip_known = false;
          return exit;
        }
        case KVM_EXIT_FAIL_ENTRY:
          error_ = "the CPU refused to enter the guest (hardware reason " +
                   hex(run_->fail_entry.hardware_entry_failure_reason) + ")";
          return {ExitKind::Error};
        case KVM_EXIT_INTERNAL_ERROR:
          if (run_->internal.suberror == KVM_INTERNAL_ERROR_EMULATION && !slots_->mapped(regs_->current().rip)) {
            // Only a guest's own page tables reach memory in no slot; running from there
            // leaves KVM an instruction it can't fetch.
            RunExit exit = fault_exit(14, regs_->current().rip, "instruction fetch from unmapped guest memory");
            fault_.has_cr2 = true;
            fault_.cr2 = regs_->current().rip;
            return exit;
          }
          error_ = "KVM internal error (suberror " + std::to_string(run_->internal.suberror) + ")";
          for (uint32_t i = 0; i < run_->internal.ndata && i < 16; ++i) error_ += " " + hex(run_->internal.data[i]);
          return {ExitKind::Error};
        case KVM_EXIT_DEBUG: return debug_exit();
        case KVM_EXIT_DIRTY_RING_FULL: slots_->collect_dirty_pages(); break;
        case KVM_EXIT_INTR:
          if (stop_requested_.load(std::memory_order_acquire)) return {ExitKind::Stopped};
          if (yield_requested_.load(std::memory_order_acquire)) return {ExitKind::Yielded};
          if (sampling_.running() && sampling_.ticked()) return {ExitKind::Yielded};
          break;
        default: error_ = "unexpected KVM exit " + std::to_string(run_->exit_reason); return {ExitKind::Error};
      }
    }
  }

  // One `in` or `out`; false when the run ends, with `exit` saying how.
  bool serve_io(IoHandler& io, RunExit* exit) {
    const auto& access = run_->io;
    uint8_t* data = reinterpret_cast<uint8_t*>(run_) + access.data_offset;
    if (access.port == MS_PORT_FAULT && access.direction == KVM_EXIT_IO_OUT) {
      *exit = read_fault();
      return false;
    }
    IoAction action{0, IoAction::Continue};
    if (access.count != 1 || access.size != 4) {
      action = access.direction == KVM_EXIT_IO_OUT ? io.on_out(access.port, 0) : io.on_in(access.port);
      action.next = IoAction::Stop;  // only the SDK's 32-bit single `out` is served
    } else if (access.direction == KVM_EXIT_IO_OUT) {
      uint32_t value;
      std::memcpy(&value, data, 4);
      action = io.on_out(access.port, value);
      regs_->for_update().rax = action.rax;
    } else {
      action = io.on_in(access.port);
      const uint32_t value = uint32_t(action.rax);
      std::memcpy(data, &value, 4);
    }
    if (action.next == IoAction::Continue) return true;
    *exit = {action.next == IoAction::Yield ? ExitKind::Yielded : ExitKind::Stopped};
    return false;
  }

  // A fault stub's report: its frame lies at RSP on the fault stack.
  RunExit read_fault() {
    const kvm_regs& regs = regs_->current();
    FaultFrame frame;
    if (!memory_.contains(regs.rsp, sizeof frame)) {
      return fault_exit(kVectorTripleFault, regs.rip, "a fault handler's frame is outside guest memory");
    }
    memory_.read(regs.rsp, &frame, sizeof frame);
    if (frame.vector == 3 && breakpoints_) {
      // An int3 of the debugger's: the guest as it was on it, and the run can go on.
      restore_guest(frame);
      regs_->for_update().rip = frame.rip - 1;
      return {ExitKind::Breakpoint};
    }
    RunExit exit = fault_exit(int(frame.vector & 0xff), frame.rip, "");
    if (frame.vector == 13)
      fault_.detail = msrs_.refusal_at(frame.rip);  // the #GP KVM injected for the engine's refusal
    if (vector_has_error_code(unsigned(frame.vector & 0xff))) {
      fault_.has_error_code = true;
      fault_.error_code = uint32_t(frame.error_code);
    }
    if (frame.vector == 14) {
      fault_.has_cr2 = true;
      fault_.cr2 = special_registers().cr2;
    }
    restore_guest(frame);  // for whoever looks at the registers next
    return exit;
  }

  // The registers as the guest had them when the exception came, from the stub's frame.
  // The CPU loaded its own SS on the way in (QEMU's emulated SVM: a null one with IST).
  void restore_guest(const FaultFrame& frame) {
    kvm_regs& state = regs_->for_update();
    state.rax = frame.rax;
    state.rdx = frame.rdx;
    state.rip = frame.rip;
    state.rsp = frame.rsp;
    state.rflags = frame.rflags;
    SpecialRegisters special = special_registers();
    if (special.ss.selector != frame.ss || special.cs.selector != frame.cs) {
      special.ss.selector = uint16_t(frame.ss);
      special.cs.selector = uint16_t(frame.cs);
      set_special_registers(special);
    }
  }

  // The debug registers are the engine's (KVM_GUESTDBG_USE_HW_BP, all disarmed): the
  // guest's mov to DRn reaches only KVM's copy of them, which snapshots save and restore,
  // and never arms a breakpoint. (It would outlive the restore: under QEMU's emulated SVM
  // a breakpoint a guest armed fired in later VMs, whatever KVM put back.) The price: a
  // #DB exits here, so one that is not a step of the debugger's is the guest's own (TF,
  // icebp), reported as the #DB fault it is.
  void set_guest_debug(bool single_step) {
    kvm_guest_debug debug{};
    debug.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP | (single_step ? KVM_GUESTDBG_SINGLESTEP : 0);
    if (debug.control == guest_debug_.control) return;
    regs_->flush();
    check(ioctl(vcpu_, KVM_SET_GUEST_DEBUG, &debug), "KVM_SET_GUEST_DEBUG");
    guest_debug_ = debug;
  }

  RunExit debug_exit() {
    if (guest_debug_.control & KVM_GUESTDBG_SINGLESTEP) return {ExitKind::Stepped};
    return fault_exit(1, regs_->current().rip, "");
  }

  RunExit fault_exit(int vector, uint64_t rip, const char* detail) {
    fault_ = Fault{};
    fault_.vector = vector;
    fault_.rip = rip;
    fault_.detail = detail;
    needs_cpu_restore_ = true;
    return {ExitKind::Fault};
  }

  GuestMemory& memory_;
  int kvm_ = -1, vm_ = -1, vcpu_ = -1;
  std::vector<CpuidEntry> cpuid_;
  kvm_run* run_ = nullptr;
  size_t run_size_ = 0;
  DirtyRing dirty_ring_;  // before slots_, which points at it
  std::unique_ptr<KvmMemory> slots_;
  std::unique_ptr<KvmWatches> watches_;
  KvmMsrs msrs_;
  std::unique_ptr<RegisterCache> regs_;
  bool needs_cpu_restore_ = false;
  VcpuKick kick_;
  SampleTimer sampling_;
  const pid_t thread_ = pid_t(syscall(SYS_gettid));  // the vCPU's: it runs only on the thread that made it
  std::atomic<bool> stop_requested_{false}, yield_requested_{false};
  Fault fault_;
  std::string error_;
  bool ended_at_halt_ = true;  // the last run ended at the halt stub: nothing pending in the vCPU
  bool mmio_pending_ = false;  // a faulting MMIO exit KVM will want to complete

  // Debugging.
  kvm_guest_debug guest_debug_{};
  bool breakpoints_ = false;
};

}  // namespace

std::unique_ptr<Backend> create_kvm_backend(GuestMemory& memory, const Layout& layout) {
  return std::make_unique<KvmBackend>(memory, layout);
}

}  // namespace microscope
