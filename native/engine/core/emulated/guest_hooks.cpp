#include "guest_hooks.h"

#include <algorithm>

#include "../errors.h"
#include "../instructions.h"
#include "unicorn_registers.h"

namespace microscope {

GuestHooks::GuestHooks(uc_engine* uc, GuestMemory& memory, const UnicornMemory& map, const DebugHooks& debug,
                       Backend& backend)
    : uc_(uc), memory_(memory), map_(map), debug_(debug), backend_(backend) {
  privileged_ = std::make_unique<PrivilegedHooks>(uc_, memory_, *this);
  for (const auto& range : map_.code()) privileged_->scan(range.first, range.second);
}

void GuestHooks::begin_run(IoHandler& io) {
  io_ = &io;
  has_fault_ = false;
  fault_from_cpu_ = true;
  io_stop_ = false;
  yielded_ = false;
  positioned_ = false;
  breakpoint_hit_ = false;
  block_start_ = 0;
  yield_requested_.store(false, std::memory_order_relaxed);
}

void GuestHooks::install() {
  uc_hook hook;
  unicorn_check(uc_hook_add(uc_, &hook, UC_HOOK_INTR, reinterpret_cast<void*>(&on_interrupt), this, 1, 0),
                "hook interrupts");
  // Host calls are served inside the OUT hook: a KVM-style "stop, serve, resume" loop
  // is unreliable on Unicorn 2.0.1 (the stop lands at the end of the block and the
  // guest runs on with a stale RAX).
  unicorn_check(uc_hook_add(uc_, &hook, UC_HOOK_INSN, reinterpret_cast<void*>(&on_out), this, 1, 0, UC_X86_INS_OUT),
                "hook OUT");
  unicorn_check(uc_hook_add(uc_, &hook, UC_HOOK_INSN, reinterpret_cast<void*>(&on_in), this, 1, 0, UC_X86_INS_IN),
                "hook IN");
  // Unicorn treats SYSCALL as a hook point and otherwise skips it; real hardware with
  // EFER.SCE clear raises #UD, and so does this backend.
  unicorn_check(
      uc_hook_add(uc_, &hook, UC_HOOK_INSN, reinterpret_cast<void*>(&on_syscall), this, 1, 0, UC_X86_INS_SYSCALL),
      "hook SYSCALL");
  unicorn_check(uc_hook_add(uc_, &hook, UC_HOOK_MEM_WRITE, reinterpret_cast<void*>(&on_write), this, 1, 0),
                "hook writes");
  unicorn_check(uc_hook_add(uc_, &hook, UC_HOOK_MEM_INVALID, reinterpret_cast<void*>(&on_invalid), this, 1, 0),
                "hook invalid accesses");
  // Yields happen here. uc_emu_stop from outside lands part-way through a block, with
  // RIP reported as the block's start and the block's first instructions already done,
  // so a run it ends can't be continued (measured: every one of 200 such stops). A stop
  // from this hook, at the start of a block, leaves a state that can. It costs ~2 ns a
  // block.
  unicorn_check(uc_hook_add(uc_, &hook, UC_HOOK_BLOCK, reinterpret_cast<void*>(&on_block), this, 1, 0), "hook blocks");
}

void GuestHooks::stop_with_fault(int vector, bool from_cpu) {
  has_fault_ = true;
  fault_from_cpu_ = from_cpu;
  fault_ = Fault{};
  fault_.vector = vector;
  uc_reg_read(uc_, UC_X86_REG_RIP, &fault_.rip);
  uc_emu_stop(uc_);
}

void GuestHooks::on_interrupt(uc_engine* uc, uint32_t vector, void* user) {
  auto* self = static_cast<GuestHooks*>(user);
  if (self->has_fault_) return;
  if (vector == 3 && self->debug_.control().breakpoints) {
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

void GuestHooks::follow(uc_engine* uc, IoAction::Next next) {
  if (next == IoAction::Stop) {
    io_stop_ = true;
    uc_emu_stop(uc);
  } else if (next == IoAction::Yield) {
    yield_requested_.store(true, std::memory_order_relaxed);  // at the next block
  }
}

// A store Unicorn refused lets the rest of its block run before the run ends: the host
// serves no `in` or `out` from there.
void GuestHooks::on_out(uc_engine* uc, uint32_t port, int /*size*/, uint32_t value, void* user) {
  auto* self = static_cast<GuestHooks*>(user);
  ++self->ports_in_block_;
  if (self->has_fault_) return;
  self->in_port_hook_ = true;
  const IoAction action = self->io_->on_out(uint16_t(port), value);
  self->in_port_hook_ = false;
  uc_reg_write(uc, UC_X86_REG_RAX, &action.rax);
  self->follow(uc, action.next);
}

uint32_t GuestHooks::on_in(uc_engine* uc, uint32_t port, int /*size*/, void* user) {
  auto* self = static_cast<GuestHooks*>(user);
  ++self->ports_in_block_;
  if (self->has_fault_) return 0;
  self->in_port_hook_ = true;
  const IoAction action = self->io_->on_in(uint16_t(port));
  self->in_port_hook_ = false;
  self->follow(uc, action.next);
  return uint32_t(action.rax);
}

// The `in` or `out` whose hook runs now: the block's n-th, decoded from its start.
uint64_t GuestHooks::port_instruction_address() {
  return find_port_instruction(memory_, block_start_, block_end_, ports_in_block_, in_64bit_code(uc_, memory_));
}

void GuestHooks::refuse(uint64_t rip, const ControlDecision& decision) {
  // A #GP or #UD is the CPU's, delivered through the IDT like any; "unsupported" is the engine's.
  const int vector = decision.verdict == ControlDecision::GeneralProtection ? 13
                     : decision.verdict == ControlDecision::UndefinedOpcode ? 6
                                                                            : kVectorUnsupported;
  stop_with_fault(vector, vector != kVectorUnsupported);
  fault_.rip = rip;
  fault_.has_error_code = vector == 13;
  fault_.detail = decision.why;
}

void GuestHooks::on_block(uc_engine* uc, uint64_t address, uint32_t size, void* user) {
  auto* self = static_cast<GuestHooks*>(user);
  self->block_start_ = address;
  self->block_end_ = address + size;
  self->ports_in_block_ = 0;
  if (!self->map_.executable(address, address + size)) {
    // Hardware with NX faults on the fetch: #PF, error code present | instruction fetch.
    const uint64_t page_end = (address | 0xfff) + 1;
    const uint64_t fetched =
        self->map_.executable(address, std::min<uint64_t>(page_end, address + size)) ? page_end : address;
    self->stop_with_fault(14);
    self->fault_.rip = address;
    self->fault_.has_cr2 = true;
    self->fault_.cr2 = fetched;
    self->fault_.has_error_code = true;
    self->fault_.error_code = 0x11;
    self->fault_.detail = "instruction fetch from a page that is not executable";
    return;
  }
  if (self->counter_ && self->counter_->enter_block(address, size)) {
    self->positioned_ = true;
    self->yield_rip_ = address;
    uc_emu_stop(uc);
    return;
  }
  if (self->block_observer_) self->block_observer_->on_block(address, size, self->backend_);
  if (self->yield_requested_.load(std::memory_order_relaxed)) {
    self->yield_requested_.store(false, std::memory_order_relaxed);
    self->yielded_ = true;
    self->yield_rip_ = address;
    uc_emu_stop(uc);
  }
}

void GuestHooks::on_syscall(uc_engine* uc, void* user) {
  // Unicorn only calls its hooks at a SYSCALL and goes on past it; the CPU saves the next
  // instruction's address in RCX and RFLAGS in R11, masks RFLAGS with SFMASK and goes on
  // at LSTAR, and so does this backend. Unicorn 2.0.1 can't set EFER.SCE; KVM's guests run
  // with it set, and the engine owns EFER, so SYSCALL is always enabled.
  auto* self = static_cast<GuestHooks*>(user);
  if (self->has_fault_) return;
  // SYSCALL ends its block: the next instruction is where the block ends. Unicorn adds the
  // instruction's length to RIP after this hook; a prefixed SYSCALL's length isn't known.
  const uint64_t next = self->block_end_;
  uint8_t opcode[2] = {};
  if (next < 2 || !self->memory_.contains(next - 2, 2)) return self->stop_with_fault(6);
  self->memory_.read(next - 2, opcode, 2);
  if (opcode[0] != 0x0f || opcode[1] != 0x05) {
    self->stop_with_fault(6);
    self->fault_.rip = next - 2;
    self->fault_.detail = "a SYSCALL with prefixes, which the emulated backend does not run";
    return;
  }
  uc_x86_msr lstar{kLstarMsr, 0}, sfmask{kSfmaskMsr, 0};
  uc_reg_read(uc, UC_X86_REG_MSR, &lstar);
  uc_reg_read(uc, UC_X86_REG_MSR, &sfmask);
  uint64_t rflags = 0;
  uc_reg_read(uc, UC_X86_REG_RFLAGS, &rflags);
  const uint64_t masked = rflags & ~sfmask.value & ~uint64_t(0x10000);  // and RF
  const uint64_t rip = lstar.value - 2;
  uc_reg_write(uc, UC_X86_REG_RCX, &next);
  uc_reg_write(uc, UC_X86_REG_R11, &rflags);
  uc_reg_write(uc, UC_X86_REG_RFLAGS, &masked);
  uc_reg_write(uc, UC_X86_REG_RIP, &rip);
}

void GuestHooks::on_write(uc_engine* /*uc*/, uc_mem_type /*type*/, uint64_t address, int size, int64_t /*value*/,
                          void* user) {
  auto* self = static_cast<GuestHooks*>(user);
  PageSet& dirty = self->memory_.dirty();
  const uint64_t last = address + uint64_t(size) - 1;
  if (last >= self->memory_.size()) return;  // can't be written: it faults
  dirty.add(address >> 12);
  if ((last >> 12) != (address >> 12)) dirty.add(last >> 12);
  if (PageSet* tracked = self->memory_.tracked()) {
    tracked->add(address >> 12);
    if ((last >> 12) != (address >> 12)) tracked->add(last >> 12);
  }
}

bool GuestHooks::on_invalid(uc_engine* /*uc*/, uc_mem_type type, uint64_t address, int /*size*/, int64_t /*value*/,
                            void* user) {
  auto* self = static_cast<GuestHooks*>(user);
  if (self->has_fault_) return false;
  if (type == UC_MEM_WRITE_PROT) {
    // A store to memory the guest may not write. While CR0.WP has never been cleared,
    // the engine's page tables refuse it too, so let them: the #PF they raise is exact
    // (the instruction doesn't complete). Otherwise Unicorn's TLB may still hold a
    // writable translation from then, so the host refuses it: the store is dropped,
    // though the rest of its block runs before the run ends.
    // Memory the page tables leave unmapped faults in their walk, WP or not (a TLB never
    // holds a translation of it).
    if (!self->write_protect_cleared_ || self->map_.unmapped(address)) return true;
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

}  // namespace microscope
