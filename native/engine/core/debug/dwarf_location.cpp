#include "dwarf_location.h"

#include <dwarf.h>
#include <elfutils/libdw.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "../../../include/microscope/abi.h"
#include "../errors.h"
#include "frames.h"

namespace microscope {

namespace {

std::string register_name(int reg) { return FrameState::register_name(reg); }

// Thrown inside the evaluation: why the location can't be had.
struct Unavailable {
  std::string why;
};

class Machine {
 public:
  Machine(const FrameContext& frame, const void* function) : frame_(frame), function_(function) {}

  VariableLocation run(Dwarf_Attribute* attribute, const Dwarf_Op* ops, size_t count) {
    VariableLocation result;
    for (size_t i = 0; i < count; ++i) {
      const Dwarf_Op& op = ops[i];
      const uint8_t atom = op.atom;
      if (atom == DW_OP_piece) {
        finish_piece(&result, op.number);
        continue;
      }
      if (atom >= DW_OP_reg0 && atom <= DW_OP_reg31) {
        pending_register_ = atom - DW_OP_reg0;
        continue;
      }
      if (atom == DW_OP_regx) {
        pending_register_ = int(op.number);
        continue;
      }
      if (atom >= DW_OP_lit0 && atom <= DW_OP_lit31) {
        push(atom - DW_OP_lit0);
        continue;
      }
      if (atom >= DW_OP_breg0 && atom <= DW_OP_breg31) {
        push(register_value(atom - DW_OP_breg0) + op.number);
        continue;
      }
      switch (atom) {
        case DW_OP_addr: push(op.number + frame_.info.load_bias()); break;
        case DW_OP_addrx:
        case DW_OP_GNU_addr_index:
        case DW_OP_constx:
        case DW_OP_GNU_const_index: {
          Dwarf_Attribute address;
          Dwarf_Addr value;
          if (!attribute || dwarf_getlocation_attr(attribute, &op, &address) != 0 ||
              dwarf_formaddr(&address, &value) != 0) {
            throw Unavailable{"its address index can't be read"};
          }
          push(value + (atom == DW_OP_addrx || atom == DW_OP_GNU_addr_index ? frame_.info.load_bias() : 0));
          break;
        }
        case DW_OP_const1u:
        case DW_OP_const2u:
        case DW_OP_const4u:
        case DW_OP_const8u:
        case DW_OP_constu:
        case DW_OP_const1s:
        case DW_OP_const2s:
        case DW_OP_const4s:
        case DW_OP_const8s:
        case DW_OP_consts: push(op.number); break;
        case DW_OP_bregx: push(register_value(int(op.number)) + op.number2); break;
        case DW_OP_fbreg: push(frame_base() + op.number); break;
        case DW_OP_call_frame_cfa: push(cfa()); break;
        case DW_OP_dup: push(at(0)); break;
        case DW_OP_drop: pop(); break;
        case DW_OP_over: push(at(1)); break;
        case DW_OP_pick: push(at(op.number)); break;
        case DW_OP_swap: {
          const uint64_t a = pop(), b = pop();
          push(a);
          push(b);
          break;
        }
        case DW_OP_rot: {
          const uint64_t a = pop(), b = pop(), c = pop();
          push(a);
          push(c);
          push(b);
          break;
        }
        case DW_OP_deref: push(load(pop(), 8)); break;
        case DW_OP_deref_size: push(load(pop(), op.number)); break;
        case DW_OP_abs: {
          const int64_t v = int64_t(pop());
          push(uint64_t(v < 0 ? -v : v));
          break;
        }
        case DW_OP_neg: push(0 - pop()); break;
        case DW_OP_not: push(~pop()); break;
        case DW_OP_plus_uconst: push(pop() + op.number); break;
        case DW_OP_and:
        case DW_OP_or:
        case DW_OP_xor:
        case DW_OP_plus:
        case DW_OP_minus:
        case DW_OP_mul:
        case DW_OP_div:
        case DW_OP_mod:
        case DW_OP_shl:
        case DW_OP_shr:
        case DW_OP_shra:
        case DW_OP_eq:
        case DW_OP_ne:
        case DW_OP_lt:
        case DW_OP_gt:
        case DW_OP_le:
        case DW_OP_ge: push(binary(atom, pop(), pop())); break;
        case DW_OP_skip: i = branch(ops, count, op); break;
        case DW_OP_bra:
          if (pop() != 0) i = branch(ops, count, op);
          break;
        case DW_OP_nop: break;
        case DW_OP_stack_value: {
          LocationPiece piece{LocationPiece::Kind::Value, 0, -1, std::vector<uint8_t>(8), 0};
          const uint64_t v = pop();
          std::memcpy(piece.bytes.data(), &v, 8);
          pending_value_ = piece;
          break;
        }
        case DW_OP_implicit_value: {
          LocationPiece piece{LocationPiece::Kind::Value, 0, -1, {}, 0};
          const uint8_t* block = reinterpret_cast<const uint8_t*>(uintptr_t(op.number2));
          piece.bytes.assign(block, block + op.number);
          pending_value_ = piece;
          break;
        }
        case DW_OP_entry_value:
        case DW_OP_GNU_entry_value: push(entry_value(attribute, op)); break;
        case DW_OP_implicit_pointer:
        case DW_OP_GNU_implicit_pointer:
          throw Unavailable{"optimized out (it points to an object the compiler removed)"};
        default:
          throw Unavailable{"its location uses DWARF operation 0x" + hex_byte(atom) +
                            ", which the debugger can't follow"};
      }
    }
    if (result.pieces.empty() || pending_register_ >= 0 || pending_value_.kind == LocationPiece::Kind::Value ||
        depth_) {
      finish_piece(&result, 0);
    }
    return result;
  }

 private:
  static std::string hex_byte(uint8_t value) {
    static const char digits[] = "0123456789abcdef";
    return std::string{digits[value >> 4], digits[value & 15]};
  }

  void finish_piece(VariableLocation* result, uint64_t size) {
    LocationPiece piece;
    if (pending_register_ >= 0) {
      piece.kind = LocationPiece::Kind::Register;
      piece.reg = pending_register_;
    } else if (pending_value_.kind == LocationPiece::Kind::Value) {
      piece = pending_value_;
    } else if (depth_) {
      piece.kind = LocationPiece::Kind::Memory;
      piece.address = pop();
    } else {
      // An empty piece: that part of the variable is optimized out.
      throw Unavailable{"optimized out (in part)"};
    }
    piece.size = size;
    result->pieces.push_back(piece);
    pending_register_ = -1;
    pending_value_ = LocationPiece{};
    depth_ = 0;
  }

  size_t branch(const Dwarf_Op* ops, size_t count, const Dwarf_Op& op) {
    // op.number is the target's offset in the expression; find the op that starts there.
    const uint64_t target = op.offset + 3 + int16_t(op.number);
    for (size_t j = 0; j < count; ++j) {
      if (ops[j].offset == target) return j - 1;
    }
    if (target == ops[count - 1].offset + 1) return count;  // past the end
    throw Unavailable{"its location expression branches outside itself"};
  }

  uint64_t binary(uint8_t atom, uint64_t b, uint64_t a) {
    switch (atom) {
      case DW_OP_and: return a & b;
      case DW_OP_or: return a | b;
      case DW_OP_xor: return a ^ b;
      case DW_OP_plus: return a + b;
      case DW_OP_minus: return a - b;
      case DW_OP_mul: return a * b;
      case DW_OP_div:
        if (!b) throw Unavailable{"its location expression divides by zero"};
        return uint64_t(int64_t(a) / int64_t(b));
      case DW_OP_mod:
        if (!b) throw Unavailable{"its location expression divides by zero"};
        return a % b;
      case DW_OP_shl: return b >= 64 ? 0 : a << b;
      case DW_OP_shr: return b >= 64 ? 0 : a >> b;
      case DW_OP_shra: return b >= 64 ? uint64_t(int64_t(a) >> 63) : uint64_t(int64_t(a) >> b);
      case DW_OP_eq: return a == b;
      case DW_OP_ne: return a != b;
      case DW_OP_lt: return int64_t(a) < int64_t(b);
      case DW_OP_gt: return int64_t(a) > int64_t(b);
      case DW_OP_le: return int64_t(a) <= int64_t(b);
      default: return int64_t(a) >= int64_t(b);
    }
  }

  void push(uint64_t value) {
    if (depth_ == 64) throw Unavailable{"its location expression is too deep"};
    stack_[depth_++] = value;
  }
  uint64_t pop() {
    if (!depth_) throw Unavailable{"its location expression is malformed (it pops an empty stack)"};
    return stack_[--depth_];
  }
  uint64_t at(uint64_t from_top) {
    if (from_top >= depth_) throw Unavailable{"its location expression is malformed (it reads past its stack)"};
    return stack_[depth_ - 1 - from_top];
  }

  uint64_t load(uint64_t address, uint64_t size) {
    if (size == 0 || size > 8 || !frame_.memory.contains(address, size)) {
      throw Unavailable{"its location reads memory at " + hex(address) + ", outside guest memory"};
    }
    uint64_t value = 0;
    frame_.memory.read(address, &value, size);
    return value;
  }

  uint64_t register_value(int reg) {
    if (reg < 0 || reg >= 17) throw Unavailable{"its location uses " + register_name(reg) + " as an address"};
    if (!frame_.state.has(reg)) throw Unavailable{not_recovered(reg)};
    return frame_.state.gpr[reg];
  }

  std::string not_recovered(int reg) const {
    return "its location uses " + register_name(reg) + ", which isn't recovered in frame " +
           std::to_string(frame_.number) + " (the functions it called didn't save it)";
  }

  // A register's value on entry to the frame's function (DW_OP_entry_value), as the
  // caller's call site says it passed it: its DW_TAG_call_site_parameter's
  // DW_AT_call_value, evaluated in the caller's frame (and so on up, for a value the
  // caller had on its own entry).
  uint64_t entry_value(Dwarf_Attribute* attribute, const Dwarf_Op& op) {
    const std::string lost = "optimized out (only its value on entry to the function is described";
    Dwarf_Attribute inner;
    Dwarf_Op* ops = nullptr;
    size_t count = 0;
    if (!attribute || dwarf_getlocation_attr(attribute, &op, &inner) != 0 ||
        dwarf_getlocation(&inner, &ops, &count) != 0 || count != 1) {
      throw Unavailable{lost + ")"};
    }
    int reg = -1;
    if (ops[0].atom >= DW_OP_reg0 && ops[0].atom <= DW_OP_reg31) reg = ops[0].atom - DW_OP_reg0;
    if (ops[0].atom == DW_OP_regx) reg = int(ops[0].number);
    if (reg < 0) throw Unavailable{lost + ")"};
    if (frame_.index >= 64) throw Unavailable{lost + ", and the calls are too deep to follow)"};

    FrameState callee = frame_.state, caller_state;
    if (!caller_frame(&frame_.info, frame_.memory, &callee, frame_.index == 0, &caller_state)) {
      throw Unavailable{lost + ", and the caller's frame isn't found)"};
    }
    const FrameContext caller{frame_.memory,    frame_.info, frame_.types,      caller_state,
                              frame_.index + 1, 0,           frame_.number + 1, frame_.call_entry};
    Dwarf* dwarf = static_cast<Dwarf*>(frame_.info.dwarf());
    const Dwarf_Addr return_pc = caller_state.rip() - frame_.info.load_bias();
    Dwarf_Die unit;
    if (caller_state.rip() == MS_HALT_ADDRESS) {
      // The engine called it: the debugged function, entered with the registers the
      // debugger kept; any other function (the SDK's thunk tail-called it) isn't known.
      Dwarf_Addr low = 0;
      Dwarf_Die* own = const_cast<Dwarf_Die*>(static_cast<const Dwarf_Die*>(function_));
      const FrameState* entry = frame_.call_entry;
      if (entry && own && dwarf_lowpc(own, &low) == 0 && low + frame_.info.load_bias() == entry->rip() &&
          entry->has(reg)) {
        if (reg < 17) return entry->gpr[reg];
        uint64_t low_half = 0;
        std::memcpy(&low_half, entry->xmm[reg - FrameState::kXmm0], 8);
        return low_half;
      }
      throw Unavailable{lost + ", and the engine's call made that entry)"};
    }
    if (!dwarf || !dwarf_addrdie(dwarf, return_pc - 1, &unit))
      throw Unavailable{lost + ", and the caller has no DWARF)"};
    Dwarf_Die* scopes = nullptr;
    const int depth = dwarf_getscopes(&unit, return_pc - 1, &scopes);
    std::unique_ptr<Dwarf_Die, void (*)(void*)> owned(scopes, std::free);
    Dwarf_Die* function = nullptr;
    for (int i = 0; i < depth && !function; ++i) {
      if (dwarf_tag(&scopes[i]) == DW_TAG_subprogram) function = &scopes[i];
    }
    Dwarf_Die site;
    if (!function || !find_call_site(function, return_pc, &site)) {
      throw Unavailable{lost + ", and the caller's call site doesn't say what it passed)"};
    }
    Dwarf_Die parameter;
    if (dwarf_child(&site, &parameter) == 0) {
      do {
        const int tag = dwarf_tag(&parameter);
        if (tag != DW_TAG_call_site_parameter && tag != DW_TAG_GNU_call_site_parameter) continue;
        Dwarf_Attribute where, value;
        Dwarf_Op* where_ops = nullptr;
        size_t where_count = 0;
        if (!dwarf_attr(&parameter, DW_AT_location, &where) ||
            dwarf_getlocation(&where, &where_ops, &where_count) != 0 || where_count != 1) {
          continue;
        }
        const uint8_t atom = where_ops[0].atom;
        const int passed = atom == DW_OP_regx                          ? int(where_ops[0].number)
                           : atom >= DW_OP_reg0 && atom <= DW_OP_reg31 ? atom - DW_OP_reg0
                                                                       : -1;
        if (passed != reg) continue;
        if (!dwarf_attr(&parameter, DW_AT_call_value, &value) &&
            !dwarf_attr(&parameter, DW_AT_GNU_call_site_value, &value)) {
          break;
        }
        Dwarf_Op* value_ops = nullptr;
        size_t value_count = 0;
        if (dwarf_getlocation(&value, &value_ops, &value_count) != 0 || value_count == 0) break;
        VariableLocation computed = Machine(caller, function).run(&value, value_ops, value_count);
        const LocationPiece& piece = computed.pieces.at(0);
        if (piece.kind == LocationPiece::Kind::Memory) return piece.address;  // the value the expression left
        if (piece.kind == LocationPiece::Kind::Register) {
          Machine reader(caller, function);
          return reader.register_value(piece.reg);
        }
        uint64_t v = 0;
        std::memcpy(&v, piece.bytes.data(), std::min<size_t>(8, piece.bytes.size()));
        return v;
      } while (dwarf_siblingof(&parameter, &parameter) == 0);
    }
    throw Unavailable{lost + ", and the caller's call site doesn't say what it passed)"};
  }

  // The DW_TAG_call_site (or GNU's) inside `scope` whose return address is `return_pc`.
  static bool find_call_site(Dwarf_Die* scope, Dwarf_Addr return_pc, Dwarf_Die* out) {
    Dwarf_Die child;
    if (dwarf_child(scope, &child) != 0) return false;
    do {
      const int tag = dwarf_tag(&child);
      if (tag == DW_TAG_call_site || tag == DW_TAG_GNU_call_site) {
        Dwarf_Attribute attribute;
        Dwarf_Addr pc = 0;
        const bool has =
            (dwarf_attr(&child, DW_AT_call_return_pc, &attribute) || dwarf_attr(&child, DW_AT_low_pc, &attribute)) &&
            dwarf_formaddr(&attribute, &pc) == 0;
        if (has && pc == return_pc) {
          *out = child;
          return true;
        }
      } else if (dwarf_haschildren(&child) && tag != DW_TAG_subprogram && find_call_site(&child, return_pc, out)) {
        return true;
      }
    } while (dwarf_siblingof(&child, &child) == 0);
    return false;
  }

  uint64_t cfa() {
    if (frame_.state.has_cfa) return frame_.state.cfa;
    FrameState copy = frame_.state, caller;
    if (caller_frame(&frame_.info, frame_.memory, &copy, frame_.index == 0, &caller) && copy.has_cfa) return copy.cfa;
    throw Unavailable{"the frame's canonical frame address isn't known (no CFI covers its code)"};
  }

  uint64_t frame_base() {
    if (!function_) throw Unavailable{"its location is relative to a frame base, and it has no function"};
    Dwarf_Die* function = const_cast<Dwarf_Die*>(static_cast<const Dwarf_Die*>(function_));
    Dwarf_Attribute attribute;
    if (!dwarf_attr(function, DW_AT_frame_base, &attribute)) throw Unavailable{"its function has no frame base"};
    Dwarf_Op* ops = nullptr;
    size_t count = 0;
    const uint64_t linked = frame_.pc() - frame_.info.load_bias();
    if (dwarf_getlocation_addr(&attribute, linked, &ops, &count, 1) <= 0 || count == 0) {
      throw Unavailable{"its function's frame base isn't described at this address"};
    }
    Machine inner(frame_, nullptr);
    VariableLocation base = inner.run(&attribute, ops, count);
    const LocationPiece& piece = base.pieces.at(0);
    if (piece.kind == LocationPiece::Kind::Memory) return piece.address;
    if (piece.kind == LocationPiece::Kind::Register) return register_value(piece.reg);
    uint64_t value = 0;
    std::memcpy(&value, piece.bytes.data(), std::min<size_t>(8, piece.bytes.size()));
    return value;
  }

  const FrameContext& frame_;
  const void* function_;
  uint64_t stack_[64];
  size_t depth_ = 0;
  int pending_register_ = -1;
  LocationPiece pending_value_{LocationPiece::Kind::Memory, 0, -1, {}, 0};
};

}  // namespace

VariableLocation locate(const FrameContext& frame, const void* variable_die, const void* function) {
  Dwarf_Die* variable = const_cast<Dwarf_Die*>(static_cast<const Dwarf_Die*>(variable_die));
  VariableLocation result;
  Dwarf_Attribute attribute;
  if (dwarf_attr(variable, DW_AT_const_value, &attribute)) {
    LocationPiece piece{LocationPiece::Kind::Value, 0, -1, {}, 0};
    Dwarf_Block block;
    Dwarf_Word value;
    if (dwarf_formblock(&attribute, &block) == 0) {
      piece.bytes.assign(block.data, block.data + block.length);
    } else if (dwarf_formudata(&attribute, &value) == 0) {
      piece.bytes.resize(8);
      std::memcpy(piece.bytes.data(), &value, 8);
    } else {
      const char* text = dwarf_formstring(&attribute);
      if (text) piece.bytes.assign(text, text + std::strlen(text) + 1);
    }
    result.pieces.push_back(piece);
    return result;
  }
  if (!dwarf_attr(variable, DW_AT_location, &attribute)) {
    result.unavailable = "optimized out";
    return result;
  }
  Dwarf_Op* ops = nullptr;
  size_t count = 0;
  const uint64_t linked = frame.pc() - frame.info.load_bias();
  const int found = dwarf_getlocation_addr(&attribute, linked, &ops, &count, 1);
  if (found <= 0 || count == 0) {
    result.unavailable = "optimized out";
    return result;
  }
  try {
    return Machine(frame, function).run(&attribute, ops, count);
  } catch (const Unavailable& unavailable) {
    result.pieces.clear();
    result.unavailable = unavailable.why;
    return result;
  }
}

}  // namespace microscope
