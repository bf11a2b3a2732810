#include "debug_hooks.h"

#include <algorithm>

#include "unicorn_registers.h"

namespace microscope {

void DebugHooks::set(const DebugControl& control) {
  const bool same_watches =
      control.watches.size() == control_.watches.size() &&
      std::equal(control.watches.begin(), control.watches.end(), control_.watches.begin(),
                 [](const WatchRange& a, const WatchRange& b) {
                   return a.address == b.address && a.length == b.length && a.read == b.read && a.write == b.write;
                 });
  const bool same_listened = control.write_listener == control_.write_listener &&
                             control.listened_address == control_.listened_address &&
                             control.listened_length == control_.listened_length;
  control_ = control;
  const bool debugging = control.single_step || control.instructions || control.breakpoints ||
                         !control.watches.empty() || control.instruction_listener;
  if (same_watches && same_listened && debugging == (instruction_hook_ != 0)) return;
  remove();
  if (control_.write_listener && control_.listened_length) {
    unicorn_check(
        uc_hook_add(uc_, &listened_hook_, UC_HOOK_MEM_WRITE, reinterpret_cast<void*>(&on_listened_write), this,
                    control_.listened_address, control_.listened_address + control_.listened_length - 1),
        "hook a listened range");
  }
  for (size_t i = 0; i < control_.watches.size(); ++i) {
    const WatchRange& range = control_.watches[i];
    if (range.length == 0) continue;
    watch_hooks_.push_back(std::make_unique<WatchHook>(WatchHook{this, i, 0}));
    WatchHook* data = watch_hooks_.back().get();
    const uint64_t last = range.address + range.length - 1;
    const int types = (range.read ? UC_HOOK_MEM_READ : 0) | (range.write ? UC_HOOK_MEM_WRITE : 0);
    unicorn_check(
        uc_hook_add(uc_, &data->hook, types, reinterpret_cast<void*>(&on_watched_access), data, range.address, last),
        "hook a watched range");
  }
  if (debugging) {
    unicorn_check(
        uc_hook_add(uc_, &instruction_hook_, UC_HOOK_CODE, reinterpret_cast<void*>(&on_instruction), this, 1, 0),
        "hook instructions");
  }
  // Hooks only reach code translated after they were added. Not uc_ctl_flush_tlb (a TB
  // flush): it resets the whole 1 GiB translation buffer, 2.4 s the first time and
  // 0.1 s after (measured); dropping the guest's code ranges costs microseconds.
  for (const auto& range : code_) uc_ctl_remove_cache(uc_, range.first, range.second);
}

void DebugHooks::begin_run() {
  watch_pending_ = false;
  watch_stop_ = false;
  step_stop_ = false;
  instructions_ = 0;
}

void DebugHooks::remove() {
  for (const auto& data : watch_hooks_) uc_hook_del(uc_, data->hook);
  watch_hooks_.clear();
  if (instruction_hook_) uc_hook_del(uc_, instruction_hook_);
  instruction_hook_ = 0;
  if (listened_hook_) uc_hook_del(uc_, listened_hook_);
  listened_hook_ = 0;
}

void DebugHooks::on_watched_access(uc_engine* uc, uc_mem_type type, uint64_t address, int size, int64_t /*value*/,
                                   void* user) {
  auto* data = static_cast<WatchHook*>(user);
  DebugHooks* self = data->self;
  if (self->watch_pending_) return;  // the first access of the instruction is the one reported
  WatchHit& hit = self->hit_;
  hit = WatchHit{};
  hit.watch = data->index;
  hit.address = address;
  hit.size = uint32_t(size);
  hit.write = type == UC_MEM_WRITE;
  hit.instruction_known = true;
  uc_reg_read(uc, UC_X86_REG_RIP, &hit.instruction);  // exact in a memory hook
  self->watch_pending_ = true;
}

void DebugHooks::on_instruction(uc_engine* uc, uint64_t address, uint32_t /*size*/, void* user) {
  auto* self = static_cast<DebugHooks*>(user);
  if (self->watch_stop_ || self->step_stop_) return;
  const DebugControl& control = self->control_;
  if (self->watch_pending_) {
    self->watch_stop_ = true;
    uc_emu_stop(uc);
    return;
  }
  const uint64_t limit = control.single_step ? 1 : control.instructions;
  if (limit && self->instructions_++ == limit) {
    self->step_stop_ = true;  // before the instruction past the limit
    uc_emu_stop(uc);
    return;
  }
  if (control.instruction_listener && self->counter_) {
    static int ids[2] = {UC_X86_REG_RSP, UC_X86_REG_RBP};
    uint64_t rsp = 0, rbp = 0;
    void* values[2] = {&rsp, &rbp};
    uc_reg_read_batch(uc, ids, values, 2);
    control.instruction_listener->on_instruction(self->counter_->at(address), address, rsp, rbp);
  }
}

void DebugHooks::on_listened_write(uc_engine* uc, uc_mem_type /*type*/, uint64_t address, int size, int64_t value,
                                   void* user) {
  auto* self = static_cast<DebugHooks*>(user);
  if (!self->counter_ || !self->control_.write_listener) return;
  uint64_t rip = 0;
  uc_reg_read(uc, UC_X86_REG_RIP, &rip);  // exact in a memory hook
  self->control_.write_listener->on_write(self->counter_->at(rip), rip, address, uint32_t(size), uint64_t(value));
}

}  // namespace microscope
