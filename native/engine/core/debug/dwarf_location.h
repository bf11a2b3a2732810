// Where a variable is at an address: its DW_AT_location (one DWARF expression, or a
// location list with one per range of addresses) evaluated in a frame. The result is a
// list of pieces (most variables have one): in memory, in a register, or a value the
// expression computed (DW_OP_stack_value, DW_OP_implicit_value, DW_AT_const_value).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "frame_variables.h"

namespace microscope {

struct LocationPiece {
  enum class Kind { Memory, Register, Value };
  Kind kind = Kind::Memory;
  uint64_t address = 0;        // Memory
  int reg = -1;                // Register
  std::vector<uint8_t> bytes;  // Value
  uint64_t size = 0;           // bytes of the variable this piece holds; 0: all of it
};

struct VariableLocation {
  std::vector<LocationPiece> pieces;
  std::string unavailable;  // why there is none: "optimized out", an operation we can't follow
};

// `variable` is a Dwarf_Die* of a DW_TAG_variable or DW_TAG_formal_parameter;
// `function` the Dwarf_Die* of the (out-of-line) subprogram whose DW_AT_frame_base
// DW_OP_fbreg means, or nullptr for a global.
VariableLocation locate(const FrameContext& frame, const void* variable, const void* function);

}  // namespace microscope
