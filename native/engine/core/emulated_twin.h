// A sandbox's emulated twin: the emulated backend over the same guest memory, which runs
// in the place of the sandbox's own backend (KVM) while a call recorded there is replayed
// (debug/kvm_recording.h). KVM can't count instructions; the emulator can, so positions,
// checkpoints and every reverse operation come from it.
//
// Going over copies the vCPU (general, segment, descriptor-table and SSE registers; the
// control registers stay each backend's own) and the snapshots' vCPU states, and takes
// the NX bit out of the page tables: Unicorn 2.0.1 treats bit 63 as reserved, and the
// emulated backend enforces execute permission itself. Coming back undoes all three. The
// twin answers CPUID from the sandbox's own backend's table (emulated/cpuid_answers.h).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "backend.h"
#include "guest_memory.h"
#include "layout.h"
#include "snapshots.h"

namespace microscope {

// The vCPU state the two backends share, from one to the other: not the control
// registers (CR0, CR4, EFER), which each sets for itself.
void copy_cpu(Backend& from, Backend& to);
// A usage error where the emulated backend can't take these registers (copy_cpu would
// crash it): a GDT or segments other than the engine's.
void check_twin_can_take(const SpecialRegisters& registers);

class EmulatedTwin {
 public:
  EmulatedTwin(GuestMemory& memory, const Layout& layout);

  // `active` is the backend that runs the sandbox: the twin takes its place, and holds
  // the sandbox's own until leave() puts it back. Only between runs.
  void enter(std::unique_ptr<Backend>& active, Snapshots& snapshots);
  void leave(std::unique_ptr<Backend>& active, Snapshots& snapshots);
  bool entered() const { return entered_; }
  // The backend not running now: the sandbox's own while the twin runs.
  const Backend& held() const { return *held_; }

 private:
  GuestMemory& memory_;
  Layout layout_;
  std::unique_ptr<Backend> held_;     // the emulated backend (made at the first enter), or the sandbox's own
  std::vector<uint8_t> page_tables_;  // as the sandbox's own backend has them
  bool entered_ = false;
};

}  // namespace microscope
