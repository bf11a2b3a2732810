// A function's arguments as it was entered, as text ("n=20, name=0x2010 \"x\""): its
// DWARF formal parameters, read where their location lists put them at the function's
// first instruction (the SysV argument registers, in optimized code) from the registers
// a trace saved there. For a call trace's labels; the same registers give the same text,
// found once.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "call_trace.h"
#include "guest_code.h"

namespace microscope {

class EntryArguments {
 public:
  EntryArguments(Sandbox& sandbox, GuestCode& code) : sandbox_(sandbox), code_(code) {}
  // "" where DWARF has no parameters for the function at `function_address`.
  std::string text(uint64_t function_address, const ArgumentRegisters& entry);

 private:
  Sandbox& sandbox_;
  GuestCode& code_;
  std::map<std::pair<uint64_t, std::vector<uint64_t>>, std::string> known_;
};

}  // namespace microscope
