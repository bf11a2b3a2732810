// The hooks Unicorn calls while the guest runs, and what they saw of the run: an
// exception (before it is delivered), an `in` or `out` (served right there: a KVM-style
// "stop, serve, resume" loop is unreliable on Unicorn 2.0.1, whose stop lands at the end
// of the block, the guest running on with a stale RAX), `syscall`, each block's start
// (where yields stop, execute permission is checked and traces look), each store (the
// dirty pages a restore copies back), an access Unicorn refused, and the privileged
// instructions' hooks' refusals. The backend (emulated_backend.cpp) reads the record
// once the run ends.
#pragma once

#include <unicorn/unicorn.h>

#include <atomic>
#include <memory>

#include "../backend.h"
#include "debug_hooks.h"
#include "instruction_counter.h"
#include "privileged_hooks.h"
#include "unicorn_memory.h"

namespace microscope {

class GuestHooks : public PrivilegedHooks::Listener {
 public:
  GuestHooks(uc_engine* uc, GuestMemory& memory, const UnicornMemory& map, const DebugHooks& debug, Backend& backend);
  void install();  // throws when Unicorn refuses a hook

  PrivilegedHooks& privileged() { return *privileged_; }
  void observe(BlockObserver* observer) { block_observer_ = observer; }
  void count(InstructionCounter* counter) { counter_ = counter; }
  bool counting() const { return counter_ != nullptr; }
  void request_yield() { yield_requested_.store(true, std::memory_order_relaxed); }

  // The run's record, reset by begin_run().
  void begin_run(IoHandler& io);
  void end_run() { io_ = nullptr; }
  bool faulted() const { return has_fault_; }
  Fault& fault() { return fault_; }
  bool fault_from_cpu() const { return fault_from_cpu_; }  // an exception, not the host's refusal
  bool breakpoint_hit() const { return breakpoint_hit_; }
  bool io_stopped() const { return io_stop_; }
  bool yielded() const { return yielded_; }
  bool positioned() const { return positioned_; }    // a stop_at_block_of() stop, at yield_rip()
  uint64_t yield_rip() const { return yield_rip_; }  // the block a yield or a position stopped at
  uint64_t last_block() const { return block_start_; }
  // Inside an `in`/`out` hook Unicorn 2.0.1 reports the block's start as RIP: the
  // instruction itself, decoded.
  bool in_port_hook() const { return in_port_hook_; }
  uint64_t port_instruction_address();

  // PrivilegedHooks::Listener
  void refuse(uint64_t rip, const ControlDecision& decision) override;
  void write_protect_cleared() override { write_protect_cleared_ = true; }

 private:
  void stop_with_fault(int vector, bool from_cpu = true);
  void follow(uc_engine* uc, IoAction::Next next);
  static void on_interrupt(uc_engine* uc, uint32_t vector, void* user);
  static void on_out(uc_engine* uc, uint32_t port, int size, uint32_t value, void* user);
  static uint32_t on_in(uc_engine* uc, uint32_t port, int size, void* user);
  static void on_block(uc_engine* uc, uint64_t address, uint32_t size, void* user);
  static void on_syscall(uc_engine* uc, void* user);
  static void on_write(uc_engine* uc, uc_mem_type type, uint64_t address, int size, int64_t value, void* user);
  static bool on_invalid(uc_engine* uc, uc_mem_type type, uint64_t address, int size, int64_t value, void* user);

  uc_engine* uc_;
  GuestMemory& memory_;
  const UnicornMemory& map_;
  const DebugHooks& debug_;
  Backend& backend_;
  std::unique_ptr<PrivilegedHooks> privileged_;
  BlockObserver* block_observer_ = nullptr;
  InstructionCounter* counter_ = nullptr;
  std::atomic<bool> yield_requested_{false};
  bool write_protect_cleared_ = false;  // ever, in this engine: its TLB can't be trusted to refuse stores

  IoHandler* io_ = nullptr;
  Fault fault_;
  bool has_fault_ = false;
  bool fault_from_cpu_ = true;
  bool breakpoint_hit_ = false;
  bool io_stop_ = false;
  bool yielded_ = false;
  bool positioned_ = false;
  uint64_t yield_rip_ = 0;
  uint64_t block_start_ = 0, block_end_ = 0;  // of the block running now
  bool in_port_hook_ = false;
  int ports_in_block_ = 0;  // `in`/`out` hooks run since the block began
};

}  // namespace microscope
