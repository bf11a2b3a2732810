// The variables of one stack frame: its arguments, its locals by lexical block (those
// whose block holds the frame's PC), and its unit's globals, each read where DWARF's
// location expression or location list says it is at that PC (dwarf_location.h) and
// typed by its DWARF type (dwarf_types.h). A frame above the running one has only the
// registers the unwinder recovered (frame_state.h): a variable in a register that was
// lost says so.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../guest_memory.h"
#include "debug_info.h"
#include "dwarf_types.h"
#include "frame_state.h"

namespace microscope {

// A typed value: where it is (memory, a register, a bitfield of either) when it is a
// place that can be assigned, and its bytes when it isn't in memory (a register, a
// constant, pieces) or is a scalar read from memory.
struct DebugValue {
  enum class Place { None, Memory, Register };
  const CType* type = nullptr;
  Place place = Place::None;
  uint64_t address = 0;                   // Memory
  int reg = -1;                           // Register: its DWARF number
  uint32_t bit_offset = 0, bit_size = 0;  // a bitfield inside the place
  std::vector<uint8_t> bytes;
  // Why there is no value: "optimized out", "rbx is not recovered in this frame", ...
  std::string unavailable;

  bool available() const { return unavailable.empty(); }
};

// What the debugger knows of one frame.
struct FrameContext {
  GuestMemory& memory;
  const DebugInfo& info;
  TypeTable& types;
  FrameState state;
  size_t index = 0;  // of the stack's frames by the unwinder (frames.h); 0: the running one
  // Which of the functions at its PC: 0 the innermost (an inlined function, where the PC
  // is in one), 1 the function that one is inlined into, and so on (inline_chain()).
  size_t inline_level = 0;
  size_t number = 0;  // the frame's place in the stack a user sees, inlined calls counted
  // Debugger::call_entry(): what the engine passed the debugged function, for the entry
  // values of the frame it called (whose caller is the engine) to come from.
  const FrameState* call_entry = nullptr;
  // The address that stands for the frame's code: RIP in the running frame, a caller's
  // RIP - 1 (inside its call).
  uint64_t pc() const { return index == 0 ? state.rip() : state.rip() - 1; }
};

// A function whose code is at a PC: the out-of-line one, and each inlined into it.
struct FunctionAt {
  std::string name;
  // Where the inner function was inlined into this one (the call's line), for all but the
  // innermost, whose line is the PC's.
  std::string call_file;
  int call_line = 0;
};

// The functions at `pc` (a frame's pc()), innermost first: one where nothing is inlined,
// none where DWARF has no function there.
std::vector<FunctionAt> inline_chain(const DebugInfo& info, uint64_t pc);

struct NamedValue {
  std::string name;
  DebugValue value;
};

struct FrameScopes {
  std::string function;  // "fib"; "" where DWARF has no function here
  std::vector<NamedValue> arguments, locals, globals;
};

// Every scope's variables at the frame's PC. Globals are those of the compile unit.
FrameScopes frame_scopes(const FrameContext& frame, bool with_globals = true);

// The value a name has in the frame: a local or argument (innermost block first), then a
// global of its unit, then any unit's global, then an enumerator or a function. False
// when no variable, enumerator or function has that name.
bool lookup_name(const FrameContext& frame, const std::string& name, DebugValue* value);

// `length` bytes of `value` from byte `offset`: false (with `why`) where they can't be read.
bool read_value(const FrameContext& frame, const DebugValue& value, uint64_t offset, uint64_t length,
                std::vector<uint8_t>* out, std::string* why);
// The part of `value` at `offset`, of `type` (a member or an element).
DebugValue part_of(const DebugValue& value, const CType* type, uint64_t offset);
// A scalar value's bits as an integer: sign-extended for a signed integer, a bitfield
// extracted. False (with `why`) where its bytes can't be read.
bool scalar_bits(const FrameContext& frame, const DebugValue& value, uint64_t* bits, std::string* why);

// A register of the frame as a value ("rax", "eax", "rip", "rflags", "xmm0"...), or false.
bool register_value(const FrameContext& frame, const std::string& name, DebugValue* value);

}  // namespace microscope
