#include "frame_variables.h"

#include <dwarf.h>
#include <elfutils/libdw.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "../errors.h"
#include "dwarf_location.h"
#include "line_table.h"

namespace microscope {

namespace {

const char* const kLowNames[16] = {"eax", "edx", "ecx",  "ebx",  "esi",  "edi",  "ebp",  "esp",
                                   "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
constexpr int kRflags = FrameState::kRflags;

std::string register_name(int reg) { return FrameState::register_name(reg); }

// The bytes a register holds in the frame; false (with `why`) when it was lost.
bool register_bytes(const FrameContext& frame, int reg, std::vector<uint8_t>* out, std::string* why) {
  if (reg == kRflags && frame.state.has_rflags) {
    out->resize(8);
    std::memcpy(out->data(), &frame.state.rflags, 8);
    return true;
  }
  if (!frame.state.has(reg)) {
    *why = register_name(reg) + " isn't recovered in frame " + std::to_string(frame.number) +
           " (a register the functions it called didn't have to keep)";
    return false;
  }
  if (reg < 17) {
    out->resize(8);
    std::memcpy(out->data(), &frame.state.gpr[reg], 8);
  } else {
    out->assign(frame.state.xmm[reg - FrameState::kXmm0], frame.state.xmm[reg - FrameState::kXmm0] + 16);
  }
  return true;
}

bool is_aggregate(const CType* type) {
  const CType* t = strip(type);
  return t && (t->kind == CType::Kind::Struct || t->kind == CType::Kind::Union || t->kind == CType::Kind::Array);
}

// A variable DIE's value in the frame.
DebugValue read_variable(const FrameContext& frame, Dwarf_Die* die, Dwarf_Die* function) {
  DebugValue value;
  value.type = frame.types.type_of(die);
  const VariableLocation location = locate(frame, die, function);
  if (!location.unavailable.empty()) {
    value.unavailable = location.unavailable;
    return value;
  }
  const uint64_t size = value.type->size;
  if (location.pieces.size() == 1 && location.pieces[0].kind == LocationPiece::Kind::Memory) {
    value.place = DebugValue::Place::Memory;
    value.address = location.pieces[0].address;
    if (!is_aggregate(value.type)) {
      std::string why;
      if (!read_value(frame, value, 0, size, &value.bytes, &why)) value.unavailable = why;
    }
    return value;
  }
  if (location.pieces.size() == 1 && location.pieces[0].kind == LocationPiece::Kind::Register) {
    value.place = DebugValue::Place::Register;
    value.reg = location.pieces[0].reg;
  }
  // Registers, computed values, pieces: the bytes, in order.
  for (const LocationPiece& piece : location.pieces) {
    std::vector<uint8_t> bytes;
    std::string why;
    const uint64_t length = piece.size ? piece.size : size - std::min<uint64_t>(size, value.bytes.size());
    switch (piece.kind) {
      case LocationPiece::Kind::Memory:
        if (!frame.memory.contains(piece.address, length)) {
          value.unavailable = "a piece of it is at " + hex(piece.address) + ", outside guest memory";
          return value;
        }
        bytes.resize(length);
        frame.memory.read(piece.address, bytes.data(), length);
        break;
      case LocationPiece::Kind::Register:
        if (!register_bytes(frame, piece.reg, &bytes, &why)) {
          value.unavailable = why;
          return value;
        }
        break;
      case LocationPiece::Kind::Value: bytes = piece.bytes; break;
    }
    bytes.resize(length);
    value.bytes.insert(value.bytes.end(), bytes.begin(), bytes.end());
  }
  value.bytes.resize(size);
  return value;
}

// The scopes libdw finds around a PC, innermost first (blocks, inlined calls, the
// function, the unit); freed with the object.
struct Scopes {
  Dwarf_Die unit;
  Dwarf_Die* dies = nullptr;
  int count = 0;
  std::vector<int> functions;  // the subprogram and inlined calls among them, innermost first
  int frame_base = -1;         // the subprogram whose DW_AT_frame_base the locations use

  Scopes(const DebugInfo& info, uint64_t pc) {
    Dwarf* dwarf = static_cast<Dwarf*>(info.dwarf());
    if (!dwarf) return;
    const Dwarf_Addr linked = pc - info.load_bias();
    if (!dwarf_addrdie(dwarf, linked, &unit)) return;
    count = std::max(0, dwarf_getscopes(&unit, linked, &dies));
    // Past an inlined call, dwarf_getscopes goes on with the inlined function's abstract
    // scopes; the function it is inlined into is found by descending from the unit.
    bool inlined = false;
    for (int i = 0; i < count; ++i) inlined |= dwarf_tag(&dies[i]) == DW_TAG_inlined_subroutine;
    if (inlined) {
      std::vector<Dwarf_Die> path{unit};
      for (bool deeper = true; deeper;) {
        deeper = false;
        Dwarf_Die child;
        if (dwarf_child(&path.back(), &child) != 0) break;
        do {
          const int tag = dwarf_tag(&child);
          const bool scope =
              tag == DW_TAG_subprogram || tag == DW_TAG_lexical_block || tag == DW_TAG_inlined_subroutine;
          if (scope && dwarf_haspc(&child, linked) == 1) {
            path.push_back(child);
            deeper = true;
            break;
          }
        } while (dwarf_siblingof(&child, &child) == 0);
      }
      std::free(dies);
      count = int(path.size());
      dies = static_cast<Dwarf_Die*>(std::malloc(sizeof(Dwarf_Die) * path.size()));
      std::copy(path.rbegin(), path.rend(), dies);
    }
    for (int i = 0; i < count; ++i) {
      const int tag = dwarf_tag(&dies[i]);
      if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine) functions.push_back(i);
      if (frame_base < 0 && tag == DW_TAG_subprogram) frame_base = i;
    }
  }
  explicit Scopes(const FrameContext& frame) : Scopes(frame.info, frame.pc()) {
    // The frame's function and the blocks inside it but outside the one inlined into it.
    if (frame.inline_level < functions.size()) {
      function = functions[frame.inline_level];
      first_block = frame.inline_level == 0 ? 0 : functions[frame.inline_level - 1] + 1;
    }
  }
  ~Scopes() { std::free(dies); }
  Scopes(const Scopes&) = delete;
  Scopes& operator=(const Scopes&) = delete;

  int function = -1;    // the frame's function among the scopes
  int first_block = 0;  // its innermost block
  Dwarf_Die* base() { return frame_base >= 0 ? &dies[frame_base] : nullptr; }
};

template <typename Visit>
void each_child(Dwarf_Die* parent, Visit visit) {
  Dwarf_Die child;
  if (dwarf_child(parent, &child) != 0) return;
  do {
    if (!visit(&child)) return;
  } while (dwarf_siblingof(&child, &child) == 0);
}

bool is_global_definition(Dwarf_Die* die) {
  return dwarf_tag(die) == DW_TAG_variable &&
         (dwarf_hasattr(die, DW_AT_location) || dwarf_hasattr(die, DW_AT_const_value)) && dwarf_diename(die);
}

// The SDK's own globals (ms__export_* records and the like) are its, not the guest's.
bool is_sdk_name(const char* name) { return std::strncmp(name, "ms__", 4) == 0; }

DebugValue function_value(const FrameContext& frame, Dwarf_Die* die) {
  DebugValue value;
  value.type = frame.types.from_die(die);
  Dwarf_Addr low = 0;
  dwarf_lowpc(die, &low);
  value.place = DebugValue::Place::Memory;
  value.address = low + frame.info.load_bias();
  return value;
}

}  // namespace

FrameScopes frame_scopes(const FrameContext& frame, bool with_globals) {
  FrameScopes result;
  Scopes scopes(frame);
  if (scopes.count == 0) return result;
  if (scopes.function >= 0) {
    const char* name = dwarf_diename(&scopes.dies[scopes.function]);
    result.function = name ? name : "";
    each_child(&scopes.dies[scopes.function], [&](Dwarf_Die* child) {
      const char* name = dwarf_diename(child);
      if (dwarf_tag(child) == DW_TAG_formal_parameter && name) {
        result.arguments.push_back({name, read_variable(frame, child, scopes.base())});
      }
      return true;
    });
    for (int i = scopes.first_block; i <= scopes.function; ++i) {
      each_child(&scopes.dies[i], [&](Dwarf_Die* child) {
        const char* name = dwarf_diename(child);
        if (dwarf_tag(child) == DW_TAG_variable && name) {
          result.locals.push_back({name, read_variable(frame, child, scopes.base())});
        }
        return true;
      });
    }
  }
  if (with_globals) {
    each_child(&scopes.unit, [&](Dwarf_Die* child) {
      if (is_global_definition(child) && !is_sdk_name(dwarf_diename(child))) {
        result.globals.push_back({dwarf_diename(child), read_variable(frame, child, nullptr)});
      }
      return true;
    });
  }
  return result;
}

bool lookup_name(const FrameContext& frame, const std::string& name, DebugValue* value) {
  Scopes scopes(frame);
  bool found = false;
  for (int i = scopes.first_block; i <= scopes.function && !found; ++i) {
    each_child(&scopes.dies[i], [&](Dwarf_Die* child) {
      const int tag = dwarf_tag(child);
      if (tag != DW_TAG_variable && !(tag == DW_TAG_formal_parameter && i == scopes.function)) return true;
      const char* child_name = dwarf_diename(child);
      if (!child_name || name != child_name) return true;
      *value = read_variable(frame, child, scopes.base());
      found = true;
      return false;
    });
  }
  if (found) return true;
  if (scopes.count > 0) {
    each_child(&scopes.unit, [&](Dwarf_Die* child) {
      if (!is_global_definition(child) || name != dwarf_diename(child)) return true;
      *value = read_variable(frame, child, nullptr);
      found = true;
      return false;
    });
    if (found) return true;
  }
  Dwarf_Die die;
  if (frame.types.find_global(name, &die)) {
    *value = read_variable(frame, &die, nullptr);
    return true;
  }
  int64_t number;
  if (frame.types.find_enumerator(name, &die, &number)) {
    value->type = frame.types.from_die(&die);
    value->place = DebugValue::Place::None;
    value->bytes.assign(
        reinterpret_cast<const uint8_t*>(&number),
        reinterpret_cast<const uint8_t*>(&number) + std::min<uint64_t>(8, value->type->size ? value->type->size : 4));
    return true;
  }
  if (frame.types.find_function(name, &die)) {
    *value = function_value(frame, &die);
    return true;
  }
  return false;
}

std::vector<FunctionAt> inline_chain(const DebugInfo& info, uint64_t pc) {
  std::vector<FunctionAt> chain;
  Scopes scopes(info, pc);
  for (size_t i = 0; i < scopes.functions.size(); ++i) {
    Dwarf_Die* function = &scopes.dies[scopes.functions[i]];
    const char* name = dwarf_diename(function);
    FunctionAt at{name ? name : "", "", 0};
    if (i > 0) {
      // Where the inner one was inlined: its DW_AT_call_file and DW_AT_call_line.
      Dwarf_Die* inner = &scopes.dies[scopes.functions[i - 1]];
      Dwarf_Attribute attribute;
      Dwarf_Word file = 0, line = 0;
      Dwarf_Files* files = nullptr;
      size_t file_count = 0;
      if (dwarf_attr(inner, DW_AT_call_line, &attribute) && dwarf_formudata(&attribute, &line) == 0)
        at.call_line = int(line);
      if (dwarf_attr(inner, DW_AT_call_file, &attribute) && dwarf_formudata(&attribute, &file) == 0 &&
          dwarf_getsrcfiles(&scopes.unit, &files, &file_count) == 0 && file < file_count) {
        const char* path = dwarf_filesrc(files, file, nullptr, nullptr);
        if (path) at.call_file = unit_path(&scopes.unit, path);
      }
    }
    chain.push_back(at);
  }
  return chain;
}

bool register_value(const FrameContext& frame, const std::string& name, DebugValue* value) {
  int reg = -1;
  uint64_t size = 8;
  for (int i = 0; i < 17; ++i) {
    if (name == register_name(i)) reg = i;
  }
  for (int i = 0; i < 16 && reg < 0; ++i) {
    if (name == kLowNames[i]) {
      reg = i;
      size = 4;
    }
  }
  if (name == "rflags" || name == "eflags") reg = kRflags;
  if (reg < 0 && name.rfind("xmm", 0) == 0 && name.size() <= 5 && name.size() > 3) {
    const int n = std::atoi(name.c_str() + 3);
    if (n >= 0 && n < 16 && name == "xmm" + std::to_string(n)) reg = FrameState::kXmm0 + n;
  }
  if (reg < 0) return false;
  *value = DebugValue{};
  value->place = DebugValue::Place::Register;
  value->reg = reg;
  if (reg >= FrameState::kXmm0) {
    // The double in its low half: where the SysV ABI passes and returns one.
    value->type = frame.types.builtin("double");
    std::string why;
    if (!register_bytes(frame, reg, &value->bytes, &why)) value->unavailable = why;
    value->bytes.resize(8);
    return true;
  }
  value->type = frame.types.builtin(reg == kRflags || reg == FrameState::kRip ? "unsigned long"
                                    : size == 4                               ? "int"
                                                                              : "long");
  std::string why;
  if (!register_bytes(frame, reg, &value->bytes, &why)) {
    value->unavailable = why;
    if (reg == kRflags) value->unavailable = "rflags isn't recovered in frame " + std::to_string(frame.number);
  }
  if (value->available()) value->bytes.resize(size);
  return true;
}

bool read_value(const FrameContext& frame, const DebugValue& value, uint64_t offset, uint64_t length,
                std::vector<uint8_t>* out, std::string* why) {
  if (!value.available()) {
    *why = value.unavailable;
    return false;
  }
  if (value.place == DebugValue::Place::Memory) {
    if (value.address + offset < value.address || !frame.memory.contains(value.address + offset, length)) {
      *why = "can't read memory at " + hex(value.address + offset) + " (outside guest memory)";
      return false;
    }
    out->resize(length);
    if (length) frame.memory.read(value.address + offset, out->data(), length);
    return true;
  }
  if (offset + length > value.bytes.size()) {
    *why = "that part of it isn't known";
    return false;
  }
  out->assign(value.bytes.begin() + offset, value.bytes.begin() + offset + length);
  return true;
}

DebugValue part_of(const DebugValue& value, const CType* type, uint64_t offset) {
  DebugValue part;
  part.type = type;
  part.unavailable = value.unavailable;
  if (!value.available()) return part;
  if (value.place == DebugValue::Place::Memory) {
    part.place = DebugValue::Place::Memory;
    part.address = value.address + offset;
    return part;
  }
  const uint64_t size = type->size;
  if (offset + size > value.bytes.size()) {
    part.unavailable = "that part of it isn't known";
    return part;
  }
  part.bytes.assign(value.bytes.begin() + offset, value.bytes.begin() + offset + size);
  return part;
}

bool scalar_bits(const FrameContext& frame, const DebugValue& value, uint64_t* bits, std::string* why) {
  const CType* type = strip(value.type);
  uint64_t size = type ? type->size : 0;
  if (type && type->kind == CType::Kind::Enum && !size) size = 4;
  if (value.bit_size) size = (value.bit_offset + value.bit_size + 7) / 8;
  if (size == 0 || size > 8) {
    *why = "it isn't a number";
    return false;
  }
  std::vector<uint8_t> bytes;
  if (value.place == DebugValue::Place::Memory && value.bytes.size() >= size && !value.bit_size) {
    bytes = value.bytes;
  } else if (!read_value(frame, value, 0, size, &bytes, why)) {
    return false;
  }
  uint64_t raw = 0;
  std::memcpy(&raw, bytes.data(), size);
  const bool is_signed =
      type && (type->kind == CType::Kind::Integer || type->kind == CType::Kind::Enum) && type->is_signed;
  if (value.bit_size) {
    raw >>= value.bit_offset;
    const uint32_t width = value.bit_size;
    if (width < 64) {
      raw &= (uint64_t(1) << width) - 1;
      if (is_signed && (raw >> (width - 1) & 1)) raw |= ~((uint64_t(1) << width) - 1);
    }
  } else if (is_signed && size < 8 && (raw >> (size * 8 - 1) & 1)) {
    raw |= ~((uint64_t(1) << (size * 8)) - 1);
  }
  *bits = raw;
  return true;
}

}  // namespace microscope
