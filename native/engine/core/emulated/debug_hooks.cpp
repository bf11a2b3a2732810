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
  control_ = control;
  const bool debugging = control.single_step || control.breakpoints || !control.watches.empty();
  if (same_watches && debugging == (instruction_hook_ != 0)) return;
  remove();
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

void DebugHooks::on_instruction(uc_engine* uc, uint64_t /*address*/, uint32_t /*size*/, void* user) {
  auto* self = static_cast<DebugHooks*>(user);
  if (self->watch_stop_ || self->step_stop_) return;
  if (self->watch_pending_) {
    self->watch_stop_ = true;
    uc_emu_stop(uc);
  } else if (self->control_.single_step && self->instructions_++ == 1) {
    self->step_stop_ = true;  // before the second instruction of the run
    uc_emu_stop(uc);
  }
}

}  // namespace microscope
