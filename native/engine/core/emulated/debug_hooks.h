// The emulated backend's debugging controls (backend.h's DebugControl): memory hooks on
// the watched ranges and, while any control is on, a hook on every instruction. A stop
// from that code hook lands cleanly before an instruction, where the run can go on:
// single steps count instructions there (Unicorn's own count, uc_emu_start's last
// argument, never stops a run that follows one a block hook stopped), and a watched
// access, noted in its memory hook, stops the run at the next instruction (a stop from
// the memory hook itself lands inside the instruction, its store done and RIP still on
// it, so it would run again). Where instructions are counted, a run may also be limited
// to a number of them, and listeners hear of every store to a range and every
// instruction, with its position, without stopping it.
#pragma once

#include <unicorn/unicorn.h>

#include <memory>
#include <utility>
#include <vector>

#include "../backend.h"
#include "instruction_counter.h"

namespace microscope {

class DebugHooks {
 public:
  // `code`: the guest's executable ranges, whose translations a new hook must drop.
  DebugHooks(uc_engine* uc, const std::vector<std::pair<uint64_t, uint64_t>>& code) : uc_(uc), code_(code) {}
  ~DebugHooks() { remove(); }
  DebugHooks(const DebugHooks&) = delete;
  DebugHooks& operator=(const DebugHooks&) = delete;

  void set(const DebugControl& control);  // throws when Unicorn refuses a hook
  const DebugControl& control() const { return control_; }
  void count(const InstructionCounter* counter) { counter_ = counter; }

  void begin_run();                                      // before each run: nothing stopped yet
  bool watch_pending() const { return watch_pending_; }  // a watched access happened in this run
  bool watch_stopped() const { return watch_stop_; }     // and the next instruction stopped the run
  bool step_stopped() const { return step_stop_; }       // a single step's second instruction stopped it
  const WatchHit& hit() const { return hit_; }

 private:
  struct WatchHook {
    DebugHooks* self;
    size_t index;
    uc_hook hook;
  };
  static void on_watched_access(uc_engine* uc, uc_mem_type type, uint64_t address, int size, int64_t value, void* user);
  static void on_instruction(uc_engine* uc, uint64_t address, uint32_t size, void* user);
  static void on_listened_write(uc_engine* uc, uc_mem_type type, uint64_t address, int size, int64_t value, void* user);
  void remove();

  uc_engine* uc_;
  const std::vector<std::pair<uint64_t, uint64_t>>& code_;
  DebugControl control_;
  std::vector<std::unique_ptr<WatchHook>> watch_hooks_;
  uc_hook instruction_hook_ = 0;
  uc_hook listened_hook_ = 0;
  const InstructionCounter* counter_ = nullptr;
  WatchHit hit_;
  bool watch_pending_ = false;
  bool watch_stop_ = false;
  bool step_stop_ = false;
  uint64_t instructions_ = 0;  // begun in this run, while single-stepping
};

}  // namespace microscope
