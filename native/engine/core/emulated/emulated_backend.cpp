// The emulated backend: one Unicorn engine (QEMU's TCG) per sandbox. It runs wherever KVM
// doesn't, with the same exits as the KVM backend. Unicorn 2.0.1, the version Debian ships,
// has pitfalls; each work-around below names the one it is for (../shared/notes/unicorn-2.0.1.md).
#include <sys/mman.h>
#include <unicorn/unicorn.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "../backend.h"
#include "../errors.h"
#include "../instructions.h"
#include "exception_delivery.h"
#include "../layout.h"
#include "../outcome.h"
#include "privileged_hooks.h"
#include "unicorn_registers.h"

namespace microscope {

namespace {

// uc_emu_start's `until`. Any other value (tried: the halt stub, a canonical unmapped
// address, a non-canonical one) costs 0.05-1.5 µs per run in 2.0.1 and leaves QEMU's
// "exception in flight" state at #GP after the run, so the guest's next #DE or #GP
// would arrive as #DF. With 0 a run that jumps to address 0 stops there instead of
// faulting; run() reports that as the #PF it is.
constexpr uint64_t kUntil = 0;

void check(uc_err err, const char* what) { unicorn_check(err, what); }

// Unicorn 2.0.1 maps a 1 GiB read-write-execute buffer for translated code at an engine's
// first memory map, and if the system refuses (a small VM, `ulimit -v`, strict overcommit,
// a policy against writable-executable memory) it prints "Could not allocate dynamic
// translator buffer" and exits the whole process. So ask for the same mapping first and
// fail the sandbox alone. (Memory can still run out between the two, but no longer for
// any lasting reason.) It costs about a microsecond: nothing is touched.
constexpr size_t kTranslationBufferSize = size_t(1) << 30;

void check_translation_buffer_fits() {
  void* buffer = mmap(nullptr, kTranslationBufferSize, PROT_READ | PROT_WRITE | PROT_EXEC,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (buffer == MAP_FAILED) {
    throw EngineError(ErrorKind::Backend,
                      "the emulated backend can't run here: Unicorn needs 1 GiB of writable, executable address "
                      "space for its translated code and the system refused it (" +
                          std::string(std::strerror(errno)) + "; see ulimit -v and vm.overcommit_memory)");
  }
  munmap(buffer, kTranslationBufferSize);
}

class UnicornCpuState : public CpuState {
 public:
  explicit UnicornCpuState(uc_engine* uc) {
    check(uc_context_alloc(uc, &context_), "allocate a CPU context");
  }
  ~UnicornCpuState() override { uc_context_free(context_); }
  uc_context* context() const { return context_; }
  DebugRegisters debug;  // the guest's view of DR0-7, kept by the backend (privileged_hooks.h)

 private:
  uc_context* context_ = nullptr;
};

class EmulatedBackend : public Backend, public PrivilegedHooks::Listener {
 public:
  EmulatedBackend(GuestMemory& memory, const Layout& layout) : memory_(memory), regions_(layout.regions) {
    check_translation_buffer_fits();
    check(uc_open(UC_ARCH_X86, UC_MODE_64, &uc_), "open an x86-64 engine");
    try {
      map_memory(layout);
      write_entry_state(uc_);
      add_hooks();
      privileged_ = std::make_unique<PrivilegedHooks>(uc_, memory_, *this);
      for (const auto& range : executable_) privileged_->scan(range.first, range.second);
    } catch (...) {
      uc_close(uc_);
      throw;
    }
  }

  ~EmulatedBackend() override {
    remove_debug_hooks();
    privileged_.reset();
    uc_close(uc_);
  }

  const char* name() const override { return "emulated"; }

  RunExit run(IoHandler& io) override {
    if (needs_cpu_restore_) {
      error_ = "the CPU state must be restored after a fault before the guest runs again";
      return {ExitKind::Error};
    }
    io_ = &io;
    has_fault_ = false;
    fault_from_cpu_ = true;
    io_stop_ = false;
    yielded_ = false;
    breakpoint_hit_ = false;
    watch_pending_ = false;
    watch_stop_ = false;
    step_stop_ = false;
    instructions_ = 0;
    block_start_ = 0;
    yield_requested_.store(false, std::memory_order_relaxed);
    stop_requested_.store(false, std::memory_order_relaxed);
    uint64_t begin = entry_rip_;
    if (!entry_rip_valid_) uc_reg_read(uc_, UC_X86_REG_RIP, &begin);
    entry_rip_valid_ = false;

    const uc_err err = uc_emu_start(uc_, begin, kUntil, 0, 0);
    io_ = nullptr;

    if (has_fault_) return fault_exit();
    if (breakpoint_hit_) {
      // Unicorn reports an int3 with RIP past it; the debugger wants it on the int3.
      uint64_t rip;
      uc_reg_read(uc_, UC_X86_REG_RIP, &rip);
      --rip;
      uc_reg_write(uc_, UC_X86_REG_RIP, &rip);
      return {ExitKind::Breakpoint};
    }
    if (watch_pending_ && (watch_stop_ || step_stop_) && err == UC_ERR_OK) return {ExitKind::Watched};
    if (step_stop_ && err == UC_ERR_OK) return {ExitKind::Stepped};
    if (err == UC_ERR_INSN_INVALID) {
      fault_ = Fault{};
      fault_.vector = 6;  // #UD
      uc_reg_read(uc_, UC_X86_REG_RIP, &fault_.rip);
      return fault_exit();
    }
    if (err != UC_ERR_OK) {
      fault_ = Fault{};
      fault_.vector = 13;
      uc_reg_read(uc_, UC_X86_REG_RIP, &fault_.rip);
      fault_.detail = std::string("the emulator stopped: ") + uc_strerror(err);
      return fault_exit();
    }
    if (io_stop_) return {ExitKind::Stopped};
    if (yielded_) {
      // The block the yield stopped at never began: it goes on from there. QEMU would put
      // RIP there itself, but Unicorn 2.0.1 skips that once any code hook exists (it
      // assumes the hooks keep RIP current, which a hook on a few addresses doesn't), so
      // RIP can be where an earlier block left it (found here: a call moved between
      // threads went on from the wrong place once the privileged instructions' hooks
      // existed).
      uc_reg_write(uc_, UC_X86_REG_RIP, &yield_rip_);
      return {ExitKind::Yielded};
    }
    // The last block the run entered tells a return without a register read.
    if (block_start_ == MS_HALT_ADDRESS) return {ExitKind::Halted};

    uint64_t rip;
    uc_reg_read(uc_, UC_X86_REG_RIP, &rip);
    if (rip == MS_HALT_ADDRESS + 1) return {ExitKind::Halted};
    if (rip == kUntil) {
      // The null page is never mapped: hardware would fault fetching from it.
      fault_ = Fault{};
      fault_.vector = 14;
      fault_.has_error_code = true;
      fault_.error_code = 0x10;
      fault_.has_cr2 = true;
      fault_.detail = "instruction fetch from the null page";
      return fault_exit();
    }
    if (stop_requested_.load(std::memory_order_relaxed)) return {ExitKind::Stopped};

    // Unicorn ends a triple fault like a `hlt` (UC_ERR_OK), so a run that ends anywhere
    // but the halt stub is one or the other, told apart by the byte before RIP.
    fault_ = Fault{};
    fault_.rip = rip;
    const uint8_t* before = memory_.range(rip - 1, 1);
    if (rip > 0 && before && *before == 0xf4) {
      fault_.vector = kVectorStrayHalt;
      fault_.rip = rip - 1;
    } else {
      fault_.vector = kVectorTripleFault;
      fault_.rip_known = false;
      fault_.detail = "the vCPU shut down at " + hex(rip);
    }
    return fault_exit();
  }

  void request_stop() override {
    stop_requested_.store(true, std::memory_order_relaxed);
    uc_emu_stop(uc_);
  }

  void request_yield() override { yield_requested_.store(true, std::memory_order_relaxed); }

  bool runs_on_any_thread() const override { return true; }

  void set_entry(const EntryRegisters& entry) override {
    // RFLAGS too, as on KVM: a flag the last call left (DF, TF, AC) is not the next one's.
    static const int kIds[] = {UC_X86_REG_RIP, UC_X86_REG_RSP, UC_X86_REG_RFLAGS, UC_X86_REG_RDI, UC_X86_REG_RSI,
                               UC_X86_REG_RDX, UC_X86_REG_RCX, UC_X86_REG_R8,     UC_X86_REG_R9};
    static const uint64_t kFlags = kEntryRflags;
    const void* values[9] = {&entry.rip, &entry.rsp, &kFlags};
    for (int i = 0; i < entry.integer_count; ++i) values[3 + i] = &entry.integers[i];
    uc_reg_write_batch(uc_, const_cast<int*>(kIds), const_cast<void* const*>(values), 3 + entry.integer_count);
    for (int i = 0; i < entry.float_count; ++i) {
      uint8_t xmm[16] = {};
      std::memcpy(xmm, &entry.floats[i], 8);
      uc_reg_write(uc_, UC_X86_REG_XMM0 + i, xmm);
    }
    entry_rip_ = entry.rip;
    entry_rip_valid_ = true;
  }

  void read_result(uint64_t* rax, double* xmm0) override {
    uc_reg_read(uc_, UC_X86_REG_RAX, rax);
    if (xmm0) {
      uint8_t xmm[16];
      uc_reg_read(uc_, UC_X86_REG_XMM0, xmm);
      std::memcpy(xmm0, xmm, 8);
    }
  }

  Registers registers() override {
    Registers registers = read_registers(uc_);
    // Inside an `in`/`out` hook Unicorn 2.0.1 reports the block's start as RIP.
    if (in_port_hook_) registers.rip = port_instruction_address();
    return registers;
  }
  void set_registers(const Registers& registers) override {
    write_registers(uc_, registers);
    entry_rip_valid_ = false;
  }
  SpecialRegisters special_registers() override { return read_special_registers(uc_); }
  void set_special_registers(const SpecialRegisters& registers) override {
    write_special_registers(uc_, registers);
    entry_rip_valid_ = false;
  }

  uint64_t stack_pointer() override {
    uint64_t rsp;
    uc_reg_read(uc_, UC_X86_REG_RSP, &rsp);
    return rsp;
  }

  bool observe_blocks(BlockObserver* observer) override {
    block_observer_ = observer;
    return true;
  }

  SseRegisters sse_registers() override {
    SseRegisters sse{};
    for (int i = 0; i < 16; ++i) uc_reg_read(uc_, UC_X86_REG_XMM0 + i, sse.xmm[i]);
    uc_reg_read(uc_, UC_X86_REG_MXCSR, &sse.mxcsr);
    return sse;
  }

  void set_sse_registers(const SseRegisters& sse) override {
    for (int i = 0; i < 16; ++i) uc_reg_write(uc_, UC_X86_REG_XMM0 + i, sse.xmm[i]);
    uc_reg_write(uc_, UC_X86_REG_MXCSR, &sse.mxcsr);
  }

  std::unique_ptr<CpuState> save_cpu() override {
    auto state = std::make_unique<UnicornCpuState>(uc_);
    check(uc_context_save(uc_, state->context()), "save the CPU context");
    state->debug = privileged_->debug_registers();
    return state;
  }

  void restore_cpu(const CpuState& state) override {
    // Also the work-around for "a later fault becomes #DF, then a triple fault": QEMU's
    // exception-in-flight state is never cleared by Unicorn; a context saved before the
    // fault clears it.
    const auto& saved = static_cast<const UnicornCpuState&>(state);
    check(uc_context_restore(uc_, saved.context()), "restore the CPU context");
    privileged_->debug_registers() = saved.debug;
    needs_cpu_restore_ = false;
    entry_rip_valid_ = false;
  }

  void collect_dirty_pages() override {
    // Nothing to do: the write hook adds each page to the dirty set as it is written.
  }

  void set_debug(const DebugControl& control) override {
    const bool same_watches = control.watches.size() == debug_.watches.size() &&
                              std::equal(control.watches.begin(), control.watches.end(), debug_.watches.begin(),
                                         [](const WatchRange& a, const WatchRange& b) {
                                           return a.address == b.address && a.length == b.length &&
                                                  a.read == b.read && a.write == b.write;
                                         });
    debug_ = control;
    const bool debugging = control.single_step || control.breakpoints || !control.watches.empty();
    if (same_watches && debugging == (instruction_hook_ != 0)) return;
    remove_debug_hooks();
    for (size_t i = 0; i < debug_.watches.size(); ++i) {
      const WatchRange& range = debug_.watches[i];
      if (range.length == 0) continue;
      watch_hooks_.push_back(std::make_unique<WatchHook>(WatchHook{this, i, 0}));
      WatchHook* data = watch_hooks_.back().get();
      const uint64_t last = range.address + range.length - 1;
      const int types = (range.read ? UC_HOOK_MEM_READ : 0) | (range.write ? UC_HOOK_MEM_WRITE : 0);
      check(uc_hook_add(uc_, &data->hook, types, reinterpret_cast<void*>(&on_watched_access), data, range.address, last),
            "hook a watched range");
    }
    if (debugging) {
      // For as long as the debugger is on, a hook on every instruction: a stop from a code
      // hook lands cleanly before an instruction, where the run can go on. Steps count
      // instructions here: Unicorn's own count (uc_emu_start's last argument) never stops
      // a run that follows one a block hook stopped. A watched access is noted in its
      // memory hook and stops the run at the next instruction: a stop from the memory
      // hook itself lands inside the instruction, with its store done and RIP still on
      // it, so it would run again.
      check(uc_hook_add(uc_, &instruction_hook_, UC_HOOK_CODE, reinterpret_cast<void*>(&on_instruction), this, 1, 0),
            "hook instructions");
    }
    // Hooks only reach code translated after they were added. Not uc_ctl_flush_tlb (a TB
    // flush): it resets the whole 1 GiB translation buffer, 2.4 s the first time and
    // 0.1 s after (measured); dropping the guest's code ranges costs microseconds.
    for (const auto& range : executable_) uc_ctl_remove_cache(uc_, range.first, range.second);
  }

  const WatchHit& watch_hit() const override { return watch_hit_; }

  void code_rewritten(uint64_t begin, uint64_t end) override {
    // Unicorn keeps running code it translated before the host rewrote it; only pages
    // that can execute can hold translations. New bytes may hold a privileged instruction.
    for (const auto& run : executable_) {
      const uint64_t from = std::max(begin, run.first), to = std::min(end, run.second);
      if (from >= to) continue;
      uc_ctl_remove_cache(uc_, from, to);
      privileged_->scan(from, to);
    }
  }

 private:
  void map_memory(const Layout& layout) {
    // What the guest may write is the host's to enforce, whatever the guest does to CR0:
    // the regions it can't write are mapped without UC_PROT_WRITE, so Unicorn refuses a
    // store there before it looks at the guest's page tables or its TLB (which keeps
    // translations across a restore: the host can't flush it). The rest is mapped
    // writable, one mapping per run: present and writable come from the engine's page
    // tables, which no guest can change (core/control_policy.h), so those faults arrive
    // as #PF exactly as on KVM. Execute permission, which Unicorn 2.0.1 can't take from the
    // page tables (no NX), is checked per block in on_block.
    struct Run {
      uint64_t begin, end;
      bool writable;
    };
    std::vector<Run> runs;
    for (const Region& region : layout.regions) {
      // What the page tables leave unmapped faults before Unicorn's own check, so it
      // joins whichever run it borders: every extra uc_mem_map_ptr costs about 7.5 µs of a
      // cold start (measured). The page tables themselves are read only by the walker.
      const bool either = !region.access && !region.cpu_tables;
      const bool writable = region.access & kWrite;
      if (!runs.empty() && (either || runs.back().writable == writable)) runs.back().end = region.end;
      else runs.push_back({region.begin, region.end, writable});
    }
    for (const Run& run : runs) {
      const uint32_t protection = run.writable ? UC_PROT_ALL : UC_PROT_READ | UC_PROT_EXEC;
      check(uc_mem_map_ptr(uc_, run.begin, run.end - run.begin, protection, memory_.host() + run.begin),
            "map guest memory");
    }
    for (const Region& region : layout.regions) {
      if (!(region.access & kExecute)) continue;
      if (!executable_.empty() && executable_.back().second == region.begin) executable_.back().second = region.end;
      else executable_.emplace_back(region.begin, region.end);
    }
  }

  bool unmapped(uint64_t address) const {
    for (const Region& region : regions_) {
      if (address >= region.begin && address < region.end) return !region.access;
    }
    return true;
  }

  bool is_executable(uint64_t begin, uint64_t end) const {
    for (const auto& range : executable_) {
      if (begin >= range.first && end <= range.second) return true;
    }
    return false;
  }

  void add_hooks() {
    uc_hook hook;
    check(uc_hook_add(uc_, &hook, UC_HOOK_INTR, reinterpret_cast<void*>(&on_interrupt), this, 1, 0), "hook interrupts");
    // Host calls are served inside the OUT hook: a KVM-style "stop, serve, resume" loop
    // is unreliable on Unicorn 2.0.1 (the stop lands at the end of the block and the
    // guest runs on with a stale RAX).
    check(uc_hook_add(uc_, &hook, UC_HOOK_INSN, reinterpret_cast<void*>(&on_out), this, 1, 0, UC_X86_INS_OUT),
          "hook OUT");
    check(uc_hook_add(uc_, &hook, UC_HOOK_INSN, reinterpret_cast<void*>(&on_in), this, 1, 0, UC_X86_INS_IN),
          "hook IN");
    // Unicorn treats SYSCALL as a hook point and otherwise skips it; real hardware with
    // EFER.SCE clear raises #UD, and so does this backend.
    check(uc_hook_add(uc_, &hook, UC_HOOK_INSN, reinterpret_cast<void*>(&on_syscall), this, 1, 0, UC_X86_INS_SYSCALL),
          "hook SYSCALL");
    check(uc_hook_add(uc_, &hook, UC_HOOK_MEM_WRITE, reinterpret_cast<void*>(&on_write), this, 1, 0), "hook writes");
    check(uc_hook_add(uc_, &hook, UC_HOOK_MEM_INVALID, reinterpret_cast<void*>(&on_invalid), this, 1, 0),
          "hook invalid accesses");
    // Yields happen here. uc_emu_stop from outside lands part-way through a block, with
    // RIP reported as the block's start and the block's first instructions already done,
    // so a run it ends can't be continued (measured: every one of 200 such stops). A stop
    // from this hook, at the start of a block, leaves a state that can. It costs ~2 ns a
    // block.
    check(uc_hook_add(uc_, &hook, UC_HOOK_BLOCK, reinterpret_cast<void*>(&on_block), this, 1, 0), "hook blocks");
  }

  const Fault& fault() const override { return fault_; }
  const std::string& error() const override { return error_; }

  RunExit fault_exit() {
    needs_cpu_restore_ = true;
    // A fault the host found (a store Unicorn refused, a policy's refusal to run an
    // instruction) never goes through the IDT, as an exit on KVM doesn't.
    if (!fault_from_cpu_) return {ExitKind::Fault};
    // Unicorn reports an exception without reading the IDT; hardware delivers it through
    // the tables IDTR and GDTR name. A guest that loaded its own (`lidt` to garbage, say)
    // has a CPU that can't deliver it: a fault while delivering a fault, then a triple
    // fault, which is what KVM reports. The engine's own tables deliver every vector to
    // its stubs.
    if (fault_.vector >= 0 && fault_.vector < 256) {
      const Delivery delivery = deliver_exception(uc_, memory_, fault_.vector);
      if (delivery.result != Delivery::Delivered) {
        fault_.detail = delivery.why + " (at " + hex(fault_.rip) + ")";
        fault_.vector = delivery.result == Delivery::TripleFault ? kVectorTripleFault : kVectorUnsupported;
        fault_.rip_known = delivery.result != Delivery::TripleFault;
        fault_.has_cr2 = false;
        fault_.has_error_code = false;
      }
    }
    return {ExitKind::Fault};
  }

  void stop_with_fault(int vector, bool from_cpu = true) {
    has_fault_ = true;
    fault_from_cpu_ = from_cpu;
    fault_ = Fault{};
    fault_.vector = vector;
    uc_reg_read(uc_, UC_X86_REG_RIP, &fault_.rip);
    uc_emu_stop(uc_);
  }

  static void on_interrupt(uc_engine* uc, uint32_t vector, void* user) {
    auto* self = static_cast<EmulatedBackend*>(user);
    if (self->has_fault_) return;
    if (vector == 3 && self->debug_.breakpoints) {
      // INT3 is a software interrupt: unlike a fault it leaves no exception in flight,
      // so the run can go on from here.
      self->breakpoint_hit_ = true;
      uc_emu_stop(uc);
      return;
    }
    self->stop_with_fault(int(vector));
    if (vector == 14) {
      self->fault_.has_cr2 = true;
      uc_reg_read(uc, UC_X86_REG_CR2, &self->fault_.cr2);
    }
  }

  void follow(uc_engine* uc, IoAction::Next next) {
    if (next == IoAction::Stop) {
      io_stop_ = true;
      uc_emu_stop(uc);
    } else if (next == IoAction::Yield) {
      yield_requested_.store(true, std::memory_order_relaxed);  // at the next block
    }
  }

  // A store Unicorn refused lets the rest of its block run before the run ends: the host
  // serves no `in` or `out` from there.
  static void on_out(uc_engine* uc, uint32_t port, int /*size*/, uint32_t value, void* user) {
    auto* self = static_cast<EmulatedBackend*>(user);
    ++self->ports_in_block_;
    if (self->has_fault_) return;
    self->in_port_hook_ = true;
    const IoAction action = self->io_->on_out(uint16_t(port), value);
    self->in_port_hook_ = false;
    uc_reg_write(uc, UC_X86_REG_RAX, &action.rax);
    self->follow(uc, action.next);
  }

  static uint32_t on_in(uc_engine* uc, uint32_t port, int /*size*/, void* user) {
    auto* self = static_cast<EmulatedBackend*>(user);
    ++self->ports_in_block_;
    if (self->has_fault_) return 0;
    self->in_port_hook_ = true;
    const IoAction action = self->io_->on_in(uint16_t(port));
    self->in_port_hook_ = false;
    self->follow(uc, action.next);
    return uint32_t(action.rax);
  }

  // The `in` or `out` whose hook runs now: the block's n-th, decoded from its start.
  uint64_t port_instruction_address() {
    return find_port_instruction(memory_, block_start_, block_end_, ports_in_block_, in_64bit_code(uc_, memory_));
  }

  // PrivilegedHooks::Listener
  void refuse(uint64_t rip, const ControlDecision& decision) override {
    // A #GP or #UD is the CPU's, delivered through the IDT like any; "unsupported" is the engine's.
    const int vector = decision.verdict == ControlDecision::GeneralProtection ? 13
                       : decision.verdict == ControlDecision::UndefinedOpcode ? 6
                                                                              : kVectorUnsupported;
    stop_with_fault(vector, vector != kVectorUnsupported);
    fault_.rip = rip;
    fault_.has_error_code = vector == 13;
    fault_.detail = decision.why;
  }
  void write_protect_cleared() override { write_protect_cleared_ = true; }

  static void on_block(uc_engine* uc, uint64_t address, uint32_t size, void* user) {
    auto* self = static_cast<EmulatedBackend*>(user);
    self->block_start_ = address;
    self->block_end_ = address + size;
    self->ports_in_block_ = 0;
    if (!self->is_executable(address, address + size)) {
      // Hardware with NX faults on the fetch: #PF, error code present | instruction fetch.
      const uint64_t page_end = (address | 0xfff) + 1;
      const uint64_t fetched = self->is_executable(address, std::min<uint64_t>(page_end, address + size)) ? page_end : address;
      self->stop_with_fault(14);
      self->fault_.rip = address;
      self->fault_.has_cr2 = true;
      self->fault_.cr2 = fetched;
      self->fault_.has_error_code = true;
      self->fault_.error_code = 0x11;
      self->fault_.detail = "instruction fetch from a page that is not executable";
      return;
    }
    if (self->block_observer_) self->block_observer_->on_block(address, *self);
    if (self->yield_requested_.load(std::memory_order_relaxed)) {
      self->yield_requested_.store(false, std::memory_order_relaxed);
      self->yielded_ = true;
      self->yield_rip_ = address;
      uc_emu_stop(uc);
    }
  }

  struct WatchHook {
    EmulatedBackend* self;
    size_t index;
    uc_hook hook;
  };

  void remove_debug_hooks() {
    for (const auto& data : watch_hooks_) uc_hook_del(uc_, data->hook);
    watch_hooks_.clear();
    if (instruction_hook_) uc_hook_del(uc_, instruction_hook_);
    instruction_hook_ = 0;
  }

  static void on_watched_access(uc_engine* uc, uc_mem_type type, uint64_t address, int size, int64_t /*value*/,
                                void* user) {
    auto* data = static_cast<WatchHook*>(user);
    EmulatedBackend* self = data->self;
    if (self->watch_pending_) return;  // the first access of the instruction is the one reported
    WatchHit& hit = self->watch_hit_;
    hit = WatchHit{};
    hit.watch = data->index;
    hit.address = address;
    hit.size = uint32_t(size);
    hit.write = type == UC_MEM_WRITE;
    hit.instruction_known = true;
    uc_reg_read(uc, UC_X86_REG_RIP, &hit.instruction);  // exact in a memory hook
    self->watch_pending_ = true;
  }

  static void on_instruction(uc_engine* uc, uint64_t /*address*/, uint32_t /*size*/, void* user) {
    auto* self = static_cast<EmulatedBackend*>(user);
    if (self->watch_stop_ || self->step_stop_) return;
    if (self->watch_pending_) {
      self->watch_stop_ = true;
      uc_emu_stop(uc);
    } else if (self->debug_.single_step && self->instructions_++ == 1) {
      self->step_stop_ = true;  // before the second instruction of the run
      uc_emu_stop(uc);
    }
  }

  static void on_syscall(uc_engine* /*uc*/, void* user) {
    auto* self = static_cast<EmulatedBackend*>(user);
    self->stop_with_fault(6);  // #UD
    // RIP read in an instruction hook is the start of the block; SYSCALL ends its block,
    // so it is the block's last two bytes.
    self->fault_.rip = self->block_end_ - 2;
    self->fault_.detail = "syscall (EFER.SCE is clear)";
  }

  static void on_write(uc_engine* /*uc*/, uc_mem_type /*type*/, uint64_t address, int size, int64_t /*value*/,
                       void* user) {
    auto* self = static_cast<EmulatedBackend*>(user);
    PageSet& dirty = self->memory_.dirty();
    const uint64_t last = address + uint64_t(size) - 1;
    if (last >= self->memory_.size()) return;  // can't be written: it faults
    dirty.add(address >> 12);
    if ((last >> 12) != (address >> 12)) dirty.add(last >> 12);
  }

  static bool on_invalid(uc_engine* /*uc*/, uc_mem_type type, uint64_t address, int /*size*/, int64_t /*value*/,
                         void* user) {
    auto* self = static_cast<EmulatedBackend*>(user);
    if (self->has_fault_) return false;
    if (type == UC_MEM_WRITE_PROT) {
      // A store to memory the guest may not write. While CR0.WP has never been cleared,
      // the engine's page tables refuse it too, so let them: the #PF they raise is exact
      // (the instruction doesn't complete). Otherwise Unicorn's TLB may still hold a
      // writable translation from then, so the host refuses it: the store is dropped,
      // though the rest of its block runs before the run ends.
      // Memory the page tables leave unmapped faults in their walk, WP or not (a TLB never
      // holds a translation of it).
      if (!self->write_protect_cleared_ || self->unmapped(address)) return true;
      // With CR0.WP set now the CPU would raise the #PF itself, through the IDT.
      uint64_t cr0 = 0;
      uc_reg_read(self->uc_, UC_X86_REG_CR0, &cr0);
      self->stop_with_fault(14, (cr0 >> 16) & 1);
      self->fault_.has_cr2 = true;
      self->fault_.cr2 = address;
      self->fault_.has_error_code = true;
      self->fault_.error_code = 0x3;  // present, write
      self->fault_.detail = "write to read-only guest memory";
      return false;
    }
    // The page tables map only guest memory, so the walker faults first for anything
    // outside it; an access that still gets here is the #PF hardware would raise for
    // memory that isn't there.
    self->stop_with_fault(14, false);
    self->fault_.has_cr2 = true;
    self->fault_.cr2 = address;
    self->fault_.detail = "access outside guest memory";
    return false;
  }

  GuestMemory& memory_;
  std::vector<Region> regions_;  // the layout's
  uc_engine* uc_ = nullptr;
  IoHandler* io_ = nullptr;
  std::vector<std::pair<uint64_t, uint64_t>> executable_;
  Fault fault_;
  std::string error_;
  bool has_fault_ = false;
  bool fault_from_cpu_ = true;  // a CPU exception (delivered through the IDT), not the host's refusal
  bool write_protect_cleared_ = false;  // ever, in this engine: its TLB can't be trusted to refuse stores
  std::unique_ptr<PrivilegedHooks> privileged_;
  bool in_port_hook_ = false;
  int ports_in_block_ = 0;  // `in`/`out` hooks run since the block began
  bool io_stop_ = false;
  bool yielded_ = false;
  uint64_t yield_rip_ = 0;  // the block a yield stopped at
  std::atomic<bool> yield_requested_{false};
  uint64_t block_start_ = 0, block_end_ = 0;  // of the block running now
  bool needs_cpu_restore_ = false;
  std::atomic<bool> stop_requested_{false};
  uint64_t entry_rip_ = 0;
  bool entry_rip_valid_ = false;

  // Debugging.
  BlockObserver* block_observer_ = nullptr;
  DebugControl debug_;
  std::vector<std::unique_ptr<WatchHook>> watch_hooks_;
  uc_hook instruction_hook_ = 0;
  WatchHit watch_hit_;
  bool breakpoint_hit_ = false;
  bool watch_pending_ = false;  // a watched access happened in this run
  bool watch_stop_ = false;     // and the next instruction stopped the run
  bool step_stop_ = false;      // a single step's second instruction stopped the run
  uint64_t instructions_ = 0;   // begun in this run, while single-stepping
};

}  // namespace

std::unique_ptr<Backend> create_emulated_backend(GuestMemory& memory, const Layout& layout) {
  return std::make_unique<EmulatedBackend>(memory, layout);
}

}  // namespace microscope
