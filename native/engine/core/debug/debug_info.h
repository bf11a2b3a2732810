// What the guest ELF's DWARF says, read by elfutils' libdw (Debian's libdw-dev): the line
// table (address <-> source file and line), and call frame information (.debug_frame, or
// .eh_frame) to unwind the stack exactly, even through frameless leaf functions and
// shrink-wrapped prologues.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "../guest_memory.h"
#include "frame_state.h"
#include "line_table.h"

namespace microscope {

struct SourceLine {
  std::string file;  // as the compiler recorded it, usually an absolute path
  int line = 0;
};

class DebugInfo {
 public:
  // `file` is the guest ELF; `load_bias` where a PIE was moved to. An ELF without DWARF
  // is fine: there is nothing to look up.
  DebugInfo(const std::vector<uint8_t>& file, uint64_t load_bias);
  ~DebugInfo();
  DebugInfo(const DebugInfo&) = delete;
  DebugInfo& operator=(const DebugInfo&) = delete;

  // The caller's registers by the CFI that covers `frame`'s RIP, and `frame`'s CFA.
  // `innermost`: RIP is the instruction about to run, not a return address (which is
  // looked up one byte back, inside its call). A register whose rule can't be followed is
  // unknown in `caller`. False when no CFI covers RIP or the CFA or return address can't
  // be found.
  bool unwind(const GuestMemory& memory, FrameState* frame, bool innermost, FrameState* caller) const;

  bool has_lines() const { return dwarf_ != nullptr; }
  // The source line of the code at `address`; false where the line table says nothing.
  bool line_at(uint64_t address, SourceLine* line) const;
  // How many inlined calls the code at `address` is inside (DW_TAG_inlined_subroutine
  // scopes around it): 0 in a function's own code.
  int inline_depth(uint64_t address) const;
  // Every unit's line table as one, read on first use.
  const LineTable& lines() const;

  // For the readers of variables and types (frame_variables.h): the Dwarf* (nullptr
  // without DWARF), and what to add to a linked address to get the guest's.
  void* dwarf() const { return dwarf_; }
  uint64_t load_bias() const { return load_bias_; }

 private:
  std::vector<uint8_t> file_;  // libdw reads it in place
  uint64_t load_bias_;
  void* elf_ = nullptr;    // Elf*
  void* dwarf_ = nullptr;  // Dwarf*
  void* cfi_ = nullptr;    // Dwarf_CFI*
  bool cfi_from_elf_ = false;
  mutable std::unique_ptr<LineTable> lines_;
  // unwind()'s CFI rules by PC (Dwarf_Frame*, malloc'd by libdw; null: no CFI there).
  static constexpr size_t kMaxCachedFrames = 1 << 16;
  mutable std::unordered_map<uint64_t, void*> frames_;
};

}  // namespace microscope
