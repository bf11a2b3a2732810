// A CPU profile's addresses named: each distinct address becomes a location with the
// functions at it, innermost first (the functions inlined there by the guest's DWARF,
// then the one they are inlined into, each with its file and line), or the ELF symbol
// where there is no DWARF. A caller's return address is looked up one byte back, inside
// its call instruction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../sandbox.h"
#include "cpu_profile.h"

namespace microscope {

class DebugInfo;

struct ProfileFrame {
  std::string function;  // "??" where neither DWARF nor a symbol covers the address
  std::string file;      // empty where the line table says nothing
  int line = 0;
  bool inlined = false;  // inlined into the next frame out
};

struct ProfileLocation {
  uint64_t address = 0;
  bool call = false;                 // a return address: the frame is in its call
  std::string symbol;                // "fib+0x1c"
  std::vector<ProfileFrame> frames;  // innermost first
};

struct NamedProfile {
  std::vector<ProfileLocation> locations;
  struct Sample {
    std::vector<uint32_t> locations;  // into `locations`, innermost first
    uint64_t count;
  };
  std::vector<Sample> samples;
};

NamedProfile name_profile(const CpuProfile& profile, const Sandbox& sandbox, const DebugInfo& debug_info);

}  // namespace microscope
