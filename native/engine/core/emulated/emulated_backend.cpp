// The emulated backend: one Unicorn engine (QEMU's TCG) per sandbox. It runs wherever KVM
// doesn't, with the same exits as the KVM backend. Unicorn 2.0.1, the version Debian ships,
// has pitfalls; each work-around below names the one it is for (../shared/notes/unicorn-2.0.1.md).
#include <unicorn/unicorn.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "../backend.h"
#include "../errors.h"
#include "../instructions.h"
#include "../layout.h"
#include "../outcome.h"
#include "cpu_input_hooks.h"
#include "cpuid_answers.h"
#include "debug_hooks.h"
#include "exception_delivery.h"
#include "guest_hooks.h"
#include "instruction_counter.h"
#include "unicorn_engine.h"
#include "unicorn_memory.h"
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

class EmulatedBackend : public Backend {
 public:
  EmulatedBackend(GuestMemory& memory, const Layout& layout) : memory_(memory) {
    uc_ = open_unicorn();
    try {
      map_ = std::make_unique<UnicornMemory>(uc_, memory_, layout);
      write_entry_state(uc_);
      debug_hooks_ = std::make_unique<DebugHooks>(uc_, map_->code());
      hooks_ = std::make_unique<GuestHooks>(uc_, memory_, *map_, *debug_hooks_, *this);
      hooks_->install();
      cpu_inputs_ = std::make_unique<CpuInputHooks>(uc_, memory_);
      cpuid_ = std::make_unique<CpuidAnswers>(uc_);
      for (const auto& range : map_->code()) cpu_inputs_->scan(range.first, range.second);
    } catch (...) {
      uc_close(uc_);
      throw;
    }
  }

  ~EmulatedBackend() override {
    cpuid_.reset();
    cpu_inputs_.reset();
    hooks_.reset();
    debug_hooks_.reset();
    uc_close(uc_);
  }

  const char* name() const override { return "emulated"; }

  RunExit run(IoHandler& io) override {
    const RunExit exit = run_guest(io);
    if (counter_) {
      // The count is exact at the next instruction: a fault's (the handler's RIP is the
      // engine's stub by now), else RIP.
      uint64_t rip = 0;
      if (exit.kind == ExitKind::Fault)
        rip = hooks_->fault().rip;
      else
        uc_reg_read(uc_, UC_X86_REG_RIP, &rip);
      counter_->settle(rip);
    }
    return exit;
  }

  RunExit run_guest(IoHandler& io) {
    if (needs_cpu_restore_) {
      error_ = "the CPU state must be restored after a fault before the guest runs again";
      return {ExitKind::Error};
    }
    GuestHooks& hooks = *hooks_;
    hooks.begin_run(io);
    debug_hooks_->begin_run();
    stop_requested_.store(false, std::memory_order_relaxed);
    uint64_t begin = entry_rip_;
    if (!entry_rip_valid_) uc_reg_read(uc_, UC_X86_REG_RIP, &begin);
    entry_rip_valid_ = false;

    const uc_err err = uc_emu_start(uc_, begin, kUntil, 0, 0);
    hooks.end_run();

    Fault& fault_ = hooks.fault();
    if (hooks.faulted()) return fault_exit();
    if (hooks.breakpoint_hit()) {
      // Unicorn reports an int3 with RIP past it; the debugger wants it on the int3.
      uint64_t rip;
      uc_reg_read(uc_, UC_X86_REG_RIP, &rip);
      --rip;
      uc_reg_write(uc_, UC_X86_REG_RIP, &rip);
      return {ExitKind::Breakpoint};
    }
    const DebugHooks& debug = *debug_hooks_;
    if (debug.watch_pending() && (debug.watch_stopped() || debug.step_stopped()) && err == UC_ERR_OK) {
      return {ExitKind::Watched};
    }
    if (debug.step_stopped() && err == UC_ERR_OK) return {ExitKind::Stepped};
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
    if (hooks.io_stopped()) return {ExitKind::Stopped};
    if (hooks.positioned()) {
      const uint64_t rip = hooks.yield_rip();  // as for a yield, below
      uc_reg_write(uc_, UC_X86_REG_RIP, &rip);
      return {ExitKind::Positioned};
    }
    if (hooks.yielded()) {
      // The block the yield stopped at never began: it goes on from there. QEMU would put
      // RIP there itself, but Unicorn 2.0.1 skips that once any code hook exists (it
      // assumes the hooks keep RIP current, which a hook on a few addresses doesn't), so
      // RIP can be where an earlier block left it (found here: a call moved between
      // threads went on from the wrong place once the privileged instructions' hooks
      // existed).
      const uint64_t rip = hooks.yield_rip();
      uc_reg_write(uc_, UC_X86_REG_RIP, &rip);
      return {ExitKind::Yielded};
    }
    // The last block the run entered tells a return without a register read.
    if (hooks.last_block() == MS_HALT_ADDRESS) return {ExitKind::Halted};

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

  void request_yield() override { hooks_->request_yield(); }

  bool runs_on_any_thread() const override { return true; }

  void set_entry(const EntryRegisters& entry) override {
    // Every general register, and RFLAGS, as on KVM: what the snapshot's state left in
    // them (a flag such as DF, TF or AC too) is not the call's, and a call recorded on KVM
    // replays here from the same registers (debug/kvm_recording.h).
    static const int kIds[] = {UC_X86_REG_RIP, UC_X86_REG_RSP, UC_X86_REG_RFLAGS, UC_X86_REG_RDI, UC_X86_REG_RSI,
                               UC_X86_REG_RDX, UC_X86_REG_RCX, UC_X86_REG_R8,     UC_X86_REG_R9,  UC_X86_REG_RAX,
                               UC_X86_REG_RBX, UC_X86_REG_RBP, UC_X86_REG_R10,    UC_X86_REG_R11, UC_X86_REG_R12,
                               UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15};
    static const uint64_t kFlags = kEntryRflags, kZero = 0;
    const void* values[18] = {&entry.rip, &entry.rsp, &kFlags};
    for (int i = 3; i < 18; ++i) values[i] = &kZero;
    for (int i = 0; i < entry.integer_count; ++i) values[3 + i] = &entry.integers[i];
    uc_reg_write_batch(uc_, const_cast<int*>(kIds), const_cast<void* const*>(values), 18);
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
    if (hooks_->in_port_hook()) registers.rip = hooks_->port_instruction_address();
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

  void argument_registers(uint64_t out[6]) override {
    static int ids[6] = {UC_X86_REG_RDI, UC_X86_REG_RSI, UC_X86_REG_RDX, UC_X86_REG_RCX, UC_X86_REG_R8, UC_X86_REG_R9};
    void* values[6] = {&out[0], &out[1], &out[2], &out[3], &out[4], &out[5]};
    uc_reg_read_batch(uc_, ids, values, 6);
  }

  bool count_instructions(bool on) override {
    // The counter, and the blocks it decoded, stay for the next recording: guest code
    // doesn't change.
    if (on && !counter_) counter_ = std::make_unique<InstructionCounter>(memory_);
    hooks_->count(on ? counter_.get() : nullptr);
    debug_hooks_->count(on ? counter_.get() : nullptr);
    if (!on) cpu_inputs_->log(nullptr, nullptr);
    return true;
  }

  void log_cpu_inputs(CpuInputLog* log) override {
    cpu_inputs_->log(log, log && hooks_->counting() ? counter_.get() : nullptr);
  }

  uint64_t position() override {
    if (!counter_ || !hooks_->counting()) return 0;
    // Inside an `in`/`out` hook Unicorn 2.0.1 reports the block's start as RIP.
    if (hooks_->in_port_hook()) return counter_->at(hooks_->port_instruction_address());
    return counter_->at(0);  // between runs: the count settled when the last one ended
  }

  void set_position(uint64_t position) override {
    if (counter_) counter_->set(position);
  }

  void stop_at_block_of(uint64_t position) override {
    if (counter_) counter_->stop_at_block_of(position);
  }

  bool observe_blocks(BlockObserver* observer) override {
    hooks_->observe(observer);
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

  void answer_cpuid(const std::vector<CpuidEntry>* table) override { cpuid_->answer_from(table); }

  std::unique_ptr<CpuState> save_cpu() override {
    auto state = std::make_unique<UnicornCpuState>(uc_);
    check(uc_context_save(uc_, state->context()), "save the CPU context");
    state->debug = hooks_->privileged().debug_registers();
    return state;
  }

  void restore_cpu(const CpuState& state) override {
    // Also the work-around for "a later fault becomes #DF, then a triple fault": QEMU's
    // exception-in-flight state is never cleared by Unicorn; a context saved before the
    // fault clears it.
    const auto& saved = static_cast<const UnicornCpuState&>(state);
    check(uc_context_restore(uc_, saved.context()), "restore the CPU context");
    hooks_->privileged().debug_registers() = saved.debug;
    needs_cpu_restore_ = false;
    entry_rip_valid_ = false;
  }

  void collect_dirty_pages() override {
    // Nothing to do: the write hook adds each page to the dirty set as it is written.
  }

  void set_debug(const DebugControl& control) override { debug_hooks_->set(control); }

  const WatchHit& watch_hit() const override { return debug_hooks_->hit(); }

  void code_rewritten(uint64_t begin, uint64_t end) override {
    // Unicorn keeps running code it translated before the host rewrote it; only pages
    // that can execute can hold translations. New bytes may hold a privileged instruction.
    for (const auto& run : map_->code()) {
      const uint64_t from = std::max(begin, run.first), to = std::min(end, run.second);
      if (from >= to) continue;
      uc_ctl_remove_cache(uc_, from, to);
      hooks_->privileged().scan(from, to);
      cpu_inputs_->scan(from, to);
    }
  }

 private:
  const Fault& fault() const override { return hooks_->fault(); }
  const std::string& error() const override { return error_; }

  RunExit fault_exit() {
    needs_cpu_restore_ = true;
    // A fault the host found (a store Unicorn refused, a policy's refusal to run an
    // instruction) never goes through the IDT, as an exit on KVM doesn't.
    if (!hooks_->fault_from_cpu()) return {ExitKind::Fault};
    Fault& fault_ = hooks_->fault();
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

  GuestMemory& memory_;
  uc_engine* uc_ = nullptr;
  std::unique_ptr<UnicornMemory> map_;
  std::unique_ptr<DebugHooks> debug_hooks_;
  std::unique_ptr<GuestHooks> hooks_;
  std::unique_ptr<InstructionCounter> counter_;  // made by the first count_instructions(true)
  std::unique_ptr<CpuInputHooks> cpu_inputs_;
  std::unique_ptr<CpuidAnswers> cpuid_;
  std::string error_;
  bool needs_cpu_restore_ = false;
  std::atomic<bool> stop_requested_{false};
  uint64_t entry_rip_ = 0;
  bool entry_rip_valid_ = false;
};

}  // namespace

std::unique_ptr<Backend> create_emulated_backend(GuestMemory& memory, const Layout& layout) {
  return std::make_unique<EmulatedBackend>(memory, layout);
}

}  // namespace microscope
