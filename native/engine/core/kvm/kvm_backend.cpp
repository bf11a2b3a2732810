// The KVM backend: one VM with one vCPU per sandbox, driven through /dev/kvm ioctls. The
// guest runs on the hardware, isolated by it; the engine sees it only through exits.
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
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
#include "kvm_registers.h"

namespace microscope {

namespace {

// Where KVM puts the three pages Intel's VMX needs for real-mode emulation: above any
// guest memory (at most 256 MiB).
constexpr uint64_t kVmxTssAddress = 0xfffbd000;
constexpr uint64_t kEferNoExecute = 0x800;

// The signal that knocks a vCPU thread out of KVM_RUN. Its handler does nothing: the
// point is the EINTR, with kvm_run.immediate_exit covering a signal that comes early.
int stop_signal() {
  static const int signal_number = [] {
    const int number = SIGRTMIN + 5;
    struct sigaction action {};
    action.sa_handler = [](int) {};
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: KVM_RUN must return EINTR
    sigaction(number, &action, nullptr);
    return number;
  }();
  return signal_number;
}

void check(int result, const char* what) {
  if (result < 0) throw EngineError(ErrorKind::Backend, std::string("KVM: ") + what + ": " + std::strerror(errno));
}

class KvmBackend : public Backend {
 public:
  KvmBackend(GuestMemory& memory, const Layout& layout) : memory_(memory), regions_(layout.regions) {
    kvm_ = open_kvm();
    check(kvm_, "open /dev/kvm");
    try {
      vm_ = ioctl(kvm_, KVM_CREATE_VM, 0);
      check(vm_, "KVM_CREATE_VM");
      check(ioctl(vm_, KVM_SET_TSS_ADDR, kVmxTssAddress), "KVM_SET_TSS_ADDR");
      filter_msrs();
      map_slots();
      vcpu_ = ioctl(vm_, KVM_CREATE_VCPU, 0);
      check(vcpu_, "KVM_CREATE_VCPU");
      const int run_size = ioctl(kvm_, KVM_GET_VCPU_MMAP_SIZE, 0);
      check(run_size, "KVM_GET_VCPU_MMAP_SIZE");
      run_size_ = size_t(run_size);
      void* run = mmap(nullptr, run_size_, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_, 0);
      if (run == MAP_FAILED) check(-1, "mmap kvm_run");
      run_ = static_cast<kvm_run*>(run);
      if (!set_supported_cpuid(kvm_, vcpu_)) check(-1, "set the vCPU's CPUID");
      sync_regs_ = ioctl(kvm_, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS) > 0;
      write_kvm_entry_state(vcpu_, kEferNoExecute);
      set_guest_debug(false);
      stop_signal();
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
    unblock_stop_signal();
    thread_.store(pthread_self(), std::memory_order_release);
    in_run_.store(true, std::memory_order_release);
    stop_requested_.store(false, std::memory_order_relaxed);
    yield_requested_.store(false, std::memory_order_relaxed);
    run_->immediate_exit = 0;
    const RunExit exit = run_until_exit(io);
    in_run_.store(false, std::memory_order_release);
    ended_at_halt_ = exit.kind == ExitKind::Halted;
    return exit;
  }

  const Fault& fault() const override { return fault_; }
  const std::string& error() const override { return error_; }

  void request_stop() override {
    stop_requested_.store(true, std::memory_order_release);
    kick();
  }

  void request_yield() override {
    yield_requested_.store(true, std::memory_order_release);
    kick();
  }

  void set_entry(const EntryRegisters& entry) override {
    kvm_regs& regs = registers_for_update();
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
    *rax = current_registers().rax;
    if (xmm0) {
      kvm_fpu fpu;
      check(ioctl(vcpu_, KVM_GET_FPU, &fpu), "KVM_GET_FPU");
      std::memcpy(xmm0, fpu.xmm[0], 8);
    }
  }

  Registers registers() override { return from_kvm(current_registers()); }

  void set_registers(const Registers& registers) override { to_kvm(registers, &registers_for_update()); }

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

  uint64_t stack_pointer() override { return current_registers().rsp; }

  bool observe_blocks(BlockObserver*) override { return false; }

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
    flush_registers();
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
    regs_cached_ = false;
    regs_dirty_ = false;
    needs_cpu_restore_ = false;
  }

  void collect_dirty_pages() override {
    PageSet& dirty = memory_.dirty();
    for (const Slot& slot : slots_) {
      if (slot.readonly) continue;
      const uint64_t pages = slot.size / MS_PAGE_SIZE;
      std::vector<uint64_t>& bitmap = slot_bitmap_;
      bitmap.assign((pages + 63) / 64, 0);
      kvm_dirty_log log{};
      log.slot = slot.id;
      log.dirty_bitmap = bitmap.data();
      check(ioctl(vm_, KVM_GET_DIRTY_LOG, &log), "KVM_GET_DIRTY_LOG");
      for (size_t word = 0; word < bitmap.size(); ++word) {
        for (uint64_t bits = bitmap[word]; bits; bits &= bits - 1) {
          dirty.add(slot.begin / MS_PAGE_SIZE + word * 64 + uint64_t(__builtin_ctzll(bits)));
        }
      }
    }
  }

  void code_rewritten(uint64_t, uint64_t) override {
    // Nothing to do: the CPU sees the host's writes to guest memory as they happen.
  }

  // Single steps through KVM's guest debugging. Breakpoints need nothing here: an int3
  // reaches the engine's own #BP stub like any exception (KVM's #BP intercept is not
  // used: QEMU's emulated SVM, where the KVM suite runs, never raises it for INT3).
  // Watches take their pages out of guest memory: a write-only watch makes them a
  // read-only slot, any other watch leaves them with no slot at all, so the accesses
  // exit to the engine, which serves them from guest memory and stops after the first
  // one that touches a watched range. (The CPU's debug registers would watch only 32
  // bytes, and QEMU's emulated SVM ignores them.)
  void set_debug(const DebugControl& control) override {
    std::vector<WatchedPage> pages;
    for (size_t i = 0; i < control.watches.size(); ++i) {
      const WatchRange& range = control.watches[i];
      if (range.length == 0) continue;
      for (uint64_t page = range.address / MS_PAGE_SIZE; page <= (range.address + range.length - 1) / MS_PAGE_SIZE; ++page) {
        const Region* region = region_at(page * MS_PAGE_SIZE);
        if (!region || (region->access & kExecute) || region->cpu_tables) {
          throw EngineError(ErrorKind::Usage, "KVM can't watch " + hex(range.address) + " (" +
                                                  std::to_string(range.length) + " bytes): page " +
                                                  hex(page * MS_PAGE_SIZE) + " holds " +
                                                  (region ? region->name : std::string("nothing")) +
                                                  ", which the CPU itself reads; watch data");
        }
        auto it = std::find_if(pages.begin(), pages.end(), [&](const WatchedPage& p) { return p.page == page; });
        if (it == pages.end()) pages.push_back({page, range.read});
        else it->unmapped = it->unmapped || range.read;
      }
    }
    std::sort(pages.begin(), pages.end(), [](const WatchedPage& a, const WatchedPage& b) { return a.page < b.page; });
    if (pages != watched_pages_) {
      watched_pages_ = std::move(pages);
      map_slots();
    }
    watches_ = control.watches;

    set_guest_debug(control.single_step);
    breakpoints_ = control.breakpoints;
  }

  const WatchHit& watch_hit() const override { return watch_hit_; }

 private:
  struct Slot {
    uint32_t id;
    uint64_t begin, size;
    bool readonly;
  };

  // What the guest may write is the host's to enforce, whatever it does to CR0.WP or
  // its own page tables: everything the layout makes read-only (the control block, GDT,
  // IDT, input buffer, engine code, the image's code and read-only data) is in read-only
  // slots, where a write exits as MMIO; what the layout leaves unmapped (the null page,
  // the gaps, the stack's guard page) is in no slot at all, so nothing reaches it even
  // through a guest's own page tables. The page tables can't be a read-only slot: a CPU
  // that walks them may ask for write access (QEMU's emulated SVM always does, as do
  // Intel's EPT accessed and dirty flags), and KVM then emulates every walk and fails.
  // They are in a writable slot that no address in them maps, so only a guest that
  // loaded its own page tables can reach them, and a restore puts them back. Writable
  // slots log dirty pages for snapshots. Watched pages (set_debug) are cut out:
  // read-only, or in no slot.
  void map_slots() {
    if (!slots_.empty()) collect_dirty_pages();  // a slot's dirty log goes with it
    for (const Slot& slot : slots_) {
      kvm_userspace_memory_region region{};
      region.slot = slot.id;  // size 0: delete
      check(ioctl(vm_, KVM_SET_USER_MEMORY_REGION, &region), "KVM_SET_USER_MEMORY_REGION (delete)");
    }
    slots_.clear();
    auto add = [this](uint64_t begin, uint64_t end, bool readonly) {
      if (begin >= end) return;
      if (!slots_.empty() && slots_.back().readonly == readonly && slots_.back().begin + slots_.back().size == begin) {
        slots_.back().size = end - slots_.back().begin;
      } else {
        slots_.push_back({uint32_t(slots_.size()), begin, end - begin, readonly});
      }
    };
    for (const Region& region : regions_) {
      if (!region.access && !region.cpu_tables) continue;
      const bool readonly = region.access && !(region.access & kWrite);
      uint64_t at = region.begin;
      for (const WatchedPage& watched : watched_pages_) {
        const uint64_t page = watched.page * MS_PAGE_SIZE;
        if (page < at || page >= region.end) continue;
        add(at, page, readonly);
        if (!watched.unmapped) add(page, page + MS_PAGE_SIZE, true);
        at = page + MS_PAGE_SIZE;
      }
      add(at, region.end, readonly);
    }
    for (const Slot& slot : slots_) {
      kvm_userspace_memory_region region{};
      region.slot = slot.id;
      region.flags = slot.readonly ? KVM_MEM_READONLY : KVM_MEM_LOG_DIRTY_PAGES;
      region.guest_phys_addr = slot.begin;
      region.memory_size = slot.size;
      region.userspace_addr = uint64_t(uintptr_t(memory_.host() + slot.begin));
      check(ioctl(vm_, KVM_SET_USER_MEMORY_REGION, &region), "KVM_SET_USER_MEMORY_REGION");
    }
  }

  // Every rdmsr and wrmsr exits to the engine (filter_msrs), which applies the control
  // policy both backends share: an MSR it refuses is a #GP, which KVM injects.
  void filter_msrs() {
    kvm_enable_cap cap{};
    cap.cap = KVM_CAP_X86_USER_SPACE_MSR;
    cap.args[0] = KVM_MSR_EXIT_REASON_FILTER | KVM_MSR_EXIT_REASON_UNKNOWN | KVM_MSR_EXIT_REASON_INVAL;
    check(ioctl(vm_, KVM_ENABLE_CAP, &cap), "KVM_ENABLE_CAP (KVM_CAP_X86_USER_SPACE_MSR)");
    // Deny by default; one range (denying MSR 0) because some kernels refuse an empty filter.
    static uint8_t deny_bitmap[1] = {0};
    kvm_msr_filter filter{};
    filter.flags = KVM_MSR_FILTER_DEFAULT_DENY;
    filter.ranges[0].flags = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE;
    filter.ranges[0].nmsrs = 1;
    filter.ranges[0].base = 0;
    filter.ranges[0].bitmap = deny_bitmap;
    check(ioctl(vm_, KVM_X86_SET_MSR_FILTER, &filter), "KVM_X86_SET_MSR_FILTER");
  }

  void serve_msr(bool write) {
    auto& msr = run_->msr;
    ControlDecision decision;
    if (write) {
      kvm_sregs sregs;
      check(ioctl(vcpu_, KVM_GET_SREGS, &sregs), "KVM_GET_SREGS");
      decision = check_msr_write(msr.index, msr.data, sregs.efer);
    } else {
      decision = check_msr_read(msr.index);
    }
    bool done = decision.verdict == ControlDecision::Allow;
    if (done) {
      flush_registers();
      uint64_t value = msr.data;
      done = write ? write_kvm_msr(vcpu_, msr.index, value) : read_kvm_msr(vcpu_, msr.index, &value);
      if (done && !write) msr.data = value;
      if (!done) decision = ControlDecision::fault("KVM refused " + std::string(write ? "wrmsr" : "rdmsr") + " of MSR " + hex(msr.index));
    }
    msr.error = done ? 0 : 1;
    if (!done) refused_msr_ = {current_registers().rip, decision.why};
  }

  bool mapped(uint64_t address) const {
    for (const Slot& slot : slots_) {
      if (address >= slot.begin && address < slot.begin + slot.size) return true;
    }
    return false;
  }

  const Region* region_at(uint64_t address) const {
    for (const Region& region : regions_) {
      if (address >= region.begin && address < region.end) return &region;
    }
    return nullptr;
  }

  void release() {
    if (run_) munmap(run_, run_size_);
    for (int fd : {vcpu_, vm_, kvm_}) {
      if (fd >= 0) close(fd);
    }
    run_ = nullptr;
    vcpu_ = vm_ = kvm_ = -1;
  }

  static void unblock_stop_signal() {
    static thread_local bool unblocked = false;
    if (unblocked) return;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, stop_signal());
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    unblocked = true;
  }

  void kick() {
    // immediate_exit covers a signal that lands before KVM_RUN; the watchdog repeats both.
    if (run_) run_->immediate_exit = 1;
    if (in_run_.load(std::memory_order_acquire)) pthread_kill(thread_.load(std::memory_order_acquire), stop_signal());
  }

  // The registers as of the last exit, fetched once per exit.
  const kvm_regs& current_registers() {
    if (!regs_cached_) {
      if (sync_regs_ && run_->kvm_valid_regs & KVM_SYNC_X86_REGS) regs_ = run_->s.regs.regs;
      else check(ioctl(vcpu_, KVM_GET_REGS, &regs_), "KVM_GET_REGS");
      regs_cached_ = true;
    }
    return regs_;
  }

  kvm_regs& registers_for_update() {
    current_registers();
    regs_dirty_ = true;
    return regs_;
  }

  // Hands changed registers to KVM before anything reads them with an ioctl.
  void flush_registers() {
    if (!regs_dirty_) return;
    check(ioctl(vcpu_, KVM_SET_REGS, &regs_), "KVM_SET_REGS");
    regs_dirty_ = false;
  }

  // Before KVM_RUN: changed registers go through kvm_run's sync area when KVM has one (no
  // ioctl), and KVM is asked to put them back there at the exit.
  void push_registers_for_run() {
    if (regs_dirty_) {
      if (sync_regs_) {
        run_->s.regs.regs = regs_;
        run_->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
      } else {
        check(ioctl(vcpu_, KVM_SET_REGS, &regs_), "KVM_SET_REGS");
      }
      regs_dirty_ = false;
    }
    if (sync_regs_) run_->kvm_valid_regs = KVM_SYNC_X86_REGS;
  }

  RunExit run_until_exit(IoHandler& io) {
    for (;;) {
      push_registers_for_run();
      regs_cached_ = false;
      const int result = ioctl(vcpu_, KVM_RUN, 0);
      if (sync_regs_) run_->kvm_dirty_regs = 0;
      if (result < 0) {
        if (errno != EINTR && errno != EAGAIN) {
          error_ = std::string("KVM_RUN: ") + std::strerror(errno);
          return {ExitKind::Error};
        }
        run_->immediate_exit = 0;
        if (watch_pending_) {
          watch_pending_ = false;  // its instruction is complete now
          return {ExitKind::Watched};
        }
        if (stop_requested_.load(std::memory_order_acquire)) return {ExitKind::Stopped};
        if (yield_requested_.load(std::memory_order_acquire)) return {ExitKind::Yielded};
        continue;  // a signal meant for an earlier run
      }
      switch (run_->exit_reason) {
        case KVM_EXIT_IO: {
          RunExit exit{ExitKind::Stopped};
          if (!serve_io(io, &exit)) return exit;
          break;
        }
        case KVM_EXIT_HLT: {
          const uint64_t rip = current_registers().rip;
          if (rip == MS_HALT_ADDRESS + 1) return {ExitKind::Halted};
          return fault_exit(kVectorStrayHalt, rip - 1, "");
        }
        case KVM_EXIT_MMIO: {
          if (serve_watched_access()) break;
          const uint64_t address = run_->mmio.phys_addr;
          const Region* region = memory_.contains(address, 1) ? region_at(address) : nullptr;
          const char* what = !region                              ? "access outside guest memory"
                             : region->access && run_->mmio.is_write ? "write to read-only guest memory"
                                                                  : "access to unmapped guest memory";
          RunExit exit = fault_exit(14, current_registers().rip, what);
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
        case KVM_EXIT_X86_WRMSR: serve_msr(run_->exit_reason == KVM_EXIT_X86_WRMSR); break;
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
          if (run_->internal.suberror == KVM_INTERNAL_ERROR_EMULATION && !mapped(current_registers().rip)) {
            // Only a guest's own page tables reach memory in no slot; running from there
            // leaves KVM an instruction it can't fetch.
            RunExit exit = fault_exit(14, current_registers().rip, "instruction fetch from unmapped guest memory");
            fault_.has_cr2 = true;
            fault_.cr2 = current_registers().rip;
            return exit;
          }
          error_ = "KVM internal error (suberror " + std::to_string(run_->internal.suberror) + ")";
          for (uint32_t i = 0; i < run_->internal.ndata && i < 16; ++i) error_ += " " + hex(run_->internal.data[i]);
          return {ExitKind::Error};
        case KVM_EXIT_DEBUG:
          return debug_exit();
        case KVM_EXIT_INTR:
          if (stop_requested_.load(std::memory_order_acquire)) return {ExitKind::Stopped};
          if (yield_requested_.load(std::memory_order_acquire)) return {ExitKind::Yielded};
          break;
        default:
          error_ = "unexpected KVM exit " + std::to_string(run_->exit_reason);
          return {ExitKind::Error};
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
      registers_for_update().rax = action.rax;
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
    const kvm_regs& regs = current_registers();
    FaultFrame frame;
    if (!memory_.contains(regs.rsp, sizeof frame)) {
      return fault_exit(kVectorTripleFault, regs.rip, "a fault handler's frame is outside guest memory");
    }
    memory_.read(regs.rsp, &frame, sizeof frame);
    if (frame.vector == 3 && breakpoints_) {
      // An int3 of the debugger's: the guest as it was on it, and the run can go on.
      restore_guest(frame);
      registers_for_update().rip = frame.rip - 1;
      return {ExitKind::Breakpoint};
    }
    RunExit exit = fault_exit(int(frame.vector & 0xff), frame.rip, "");
    if (frame.vector == 13 && refused_msr_.rip == frame.rip && !refused_msr_.why.empty()) {
      fault_.detail = refused_msr_.why;  // the #GP KVM injected for the engine's refusal
    }
    refused_msr_ = {};
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
    kvm_regs& state = registers_for_update();
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
    flush_registers();
    check(ioctl(vcpu_, KVM_SET_GUEST_DEBUG, &debug), "KVM_SET_GUEST_DEBUG");
    guest_debug_ = debug;
  }

  RunExit debug_exit() {
    if (guest_debug_.control & KVM_GUESTDBG_SINGLESTEP) return {ExitKind::Stepped};
    return fault_exit(1, current_registers().rip, "");
  }

  // An access to a watched page (which has no slot, or a read-only one): served from
  // guest memory here. One that touches a watched range stops the run once its
  // instruction is complete (immediate_exit: KVM finishes the instruction, then returns).
  bool serve_watched_access() {
    const uint64_t address = run_->mmio.phys_addr;
    const uint32_t length = run_->mmio.len;
    const bool write = run_->mmio.is_write;
    const auto watched = std::find_if(watched_pages_.begin(), watched_pages_.end(),
                                      [&](const WatchedPage& p) { return p.page == address / MS_PAGE_SIZE; });
    if (watched == watched_pages_.end() || length > 8 || !memory_.contains(address, length)) return false;
    const Region* region = region_at(address);
    if (write && !(region->access & kWrite)) return false;  // read-only memory: the fault it always was
    if (write) {
      std::memcpy(memory_.host() + address, run_->mmio.data, length);
      memory_.dirty().add(address / MS_PAGE_SIZE);  // no dirty log sees it
    } else {
      std::memcpy(run_->mmio.data, memory_.host() + address, length);
    }
    if (watch_pending_) return true;
    for (size_t i = 0; i < watches_.size(); ++i) {
      const WatchRange& range = watches_[i];
      if (address + length <= range.address || address >= range.address + range.length) continue;
      if (write ? !range.write : !range.read) continue;
      watch_hit_ = WatchHit{};
      watch_hit_.watch = i;
      watch_hit_.address = address;
      watch_hit_.size = length;
      watch_hit_.write = write;
      // KVM moves RIP past a write before it exits, and leaves it on a read.
      watch_hit_.instruction_known = !write;
      watch_hit_.instruction = write ? 0 : current_registers().rip;
      watch_pending_ = true;
      run_->immediate_exit = 1;
      return true;
    }
    return true;
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
  kvm_run* run_ = nullptr;
  size_t run_size_ = 0;
  std::vector<Region> regions_;  // the layout's
  std::vector<Slot> slots_;
  std::vector<uint64_t> slot_bitmap_;
  bool sync_regs_ = false;
  kvm_regs regs_{};
  bool regs_cached_ = false, regs_dirty_ = false;
  bool needs_cpu_restore_ = false;
  std::atomic<pthread_t> thread_{};
  std::atomic<bool> in_run_{false}, stop_requested_{false}, yield_requested_{false};
  Fault fault_;
  std::string error_;
  bool ended_at_halt_ = true;
  bool mmio_pending_ = false;  // a faulting MMIO exit KVM will want to complete  // the last run ended at the halt stub: nothing pending in the vCPU
  struct {
    uint64_t rip = 0;
    std::string why;
  } refused_msr_;  // the last rdmsr/wrmsr the engine refused, whose #GP the fault stub reports

  // Debugging.
  struct WatchedPage {
    uint64_t page;
    bool unmapped;  // no slot (a read is watched); otherwise a read-only slot
    bool operator==(const WatchedPage& other) const { return page == other.page && unmapped == other.unmapped; }
  };
  kvm_guest_debug guest_debug_{};
  bool breakpoints_ = false;
  std::vector<WatchRange> watches_;
  std::vector<WatchedPage> watched_pages_;
  WatchHit watch_hit_;
  bool watch_pending_ = false;
};

}  // namespace

std::unique_ptr<Backend> create_kvm_backend(GuestMemory& memory, const Layout& layout) {
  return std::make_unique<KvmBackend>(memory, layout);
}

}  // namespace microscope
