// The guest's code as the debugger reads it: instructions decoded (Capstone) from guest
// memory as it is now, and the guest's DWARF (libdw), read on first use.
#pragma once

#include <cstdint>
#include <memory>

#include "../sandbox.h"
#include "debug_info.h"
#include "disassembler.h"
#include "dwarf_types.h"

namespace microscope {

class GuestCode {
 public:
  explicit GuestCode(Sandbox& sandbox) : sandbox_(sandbox) {}

  // The instruction at `address` as the guest's own bytes hold it.
  Instruction at(uint64_t address) const;
  // The registers it writes (Disassembler::written_registers).
  std::vector<int> written_registers(uint64_t address) const;
  // The instruction that ends where `rip` is, found by decoding its function from the
  // start (KVM's debug registers stop after an access, not at it); 0 when no instruction
  // of the function ends there (a jump or call made the access).
  uint64_t before(uint64_t rip) const;
  const DebugInfo& debug_info();
  // The guest's C types and top-level names, from its DWARF (dwarf_types.h).
  TypeTable& types();
  // Whether `address` is in one of the SDK's export thunks (ms__thunk_*, expanded on each
  // MICROSCOPE_FN line): code of the SDK's, not the guest's, for breakpoints and steps.
  bool in_sdk_thunk(uint64_t address) const;
  // `line` of `file` for a breakpoint (LineTable::resolve), without the addresses in the
  // SDK's thunks unless they are all there is, nor those where another line's statement
  // starts (unless that leaves none).
  ResolvedLine resolve_line(const std::string& file, int line);

 private:
  Sandbox& sandbox_;
  Disassembler disassembler_;
  std::unique_ptr<DebugInfo> debug_info_;
  std::unique_ptr<TypeTable> types_;
};

}  // namespace microscope
