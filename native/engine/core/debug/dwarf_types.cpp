#include "dwarf_types.h"

#include <dwarf.h>
#include <elfutils/libdw.h>

#include <algorithm>
#include <sstream>

namespace microscope {

namespace {

Dwarf_Die* as_die(const void* die) { return const_cast<Dwarf_Die*>(static_cast<const Dwarf_Die*>(die)); }

bool attribute_die(Dwarf_Die* die, int name, Dwarf_Die* out) {
  Dwarf_Attribute attribute;
  return dwarf_attr_integrate(die, name, &attribute) && dwarf_formref_die(&attribute, out);
}

bool attribute_unsigned(Dwarf_Die* die, int name, Dwarf_Word* out) {
  Dwarf_Attribute attribute;
  return dwarf_attr_integrate(die, name, &attribute) && dwarf_formudata(&attribute, out) == 0;
}

std::string die_name(Dwarf_Die* die) {
  const char* name = dwarf_diename(die);
  return name ? name : "";
}

// A member's place: DW_AT_data_member_location (a constant, or the DW_OP_plus_uconst of
// older compilers), and for a bitfield DW_AT_data_bit_offset (DWARF 4 and later) or the
// big-endian DW_AT_bit_offset of DWARF 2 and 3.
void member_place(Dwarf_Die* die, const CType* type, Member* member) {
  Dwarf_Word bits = 0;
  member->bit_size = attribute_unsigned(die, DW_AT_bit_size, &bits) ? uint32_t(bits) : 0;
  Dwarf_Word bit_offset = 0;
  if (member->bit_size && attribute_unsigned(die, DW_AT_data_bit_offset, &bit_offset)) {
    member->offset = bit_offset / 8;
    member->bit_offset = uint32_t(bit_offset % 8);
    return;
  }
  Dwarf_Word offset = 0;
  Dwarf_Attribute attribute;
  if (dwarf_attr_integrate(die, DW_AT_data_member_location, &attribute)) {
    if (dwarf_formudata(&attribute, &offset) != 0) {
      Dwarf_Op* ops;
      size_t count;
      if (dwarf_getlocation(&attribute, &ops, &count) == 0 && count == 1 && ops[0].atom == DW_OP_plus_uconst) {
        offset = ops[0].number;
      }
    }
  }
  member->offset = offset;
  member->bit_offset = 0;
  if (member->bit_size && attribute_unsigned(die, DW_AT_bit_offset, &bit_offset)) {
    Dwarf_Word storage = 0;
    if (!attribute_unsigned(die, DW_AT_byte_size, &storage)) storage = type ? type->size : 4;
    const uint64_t from_start = offset * 8 + storage * 8 - bit_offset - member->bit_size;
    member->offset = from_start / 8;
    member->bit_offset = uint32_t(from_start % 8);
  }
}

struct Builtin {
  const char* dwarf_name;  // as gcc names it in DW_TAG_base_type
  CType::Kind kind;
  uint64_t size;
  bool is_signed, is_char;
};

const Builtin kBuiltins[] = {
    {"char", CType::Kind::Integer, 1, true, true},
    {"signed char", CType::Kind::Integer, 1, true, true},
    {"unsigned char", CType::Kind::Integer, 1, false, true},
    {"short int", CType::Kind::Integer, 2, true, false},
    {"short unsigned int", CType::Kind::Integer, 2, false, false},
    {"int", CType::Kind::Integer, 4, true, false},
    {"unsigned int", CType::Kind::Integer, 4, false, false},
    {"long int", CType::Kind::Integer, 8, true, false},
    {"long unsigned int", CType::Kind::Integer, 8, false, false},
    {"long long int", CType::Kind::Integer, 8, true, false},
    {"long long unsigned int", CType::Kind::Integer, 8, false, false},
    {"float", CType::Kind::Float, 4, true, false},
    {"double", CType::Kind::Float, 8, true, false},
    {"long double", CType::Kind::Float, 16, true, false},
    {"_Bool", CType::Kind::Bool, 1, false, false},
};

// C's spellings of its types ("unsigned", "long unsigned", "signed short int") as gcc's
// DWARF names them; "" when `words` isn't one.
std::string canonical_builtin(const std::string& text) {
  std::istringstream in(text);
  std::string word;
  int longs = 0, shorts = 0, ints = 0, chars = 0, floats = 0, doubles = 0, bools = 0, sign = 0, words = 0;
  while (in >> word) {
    ++words;
    if (word == "long")
      ++longs;
    else if (word == "short")
      ++shorts;
    else if (word == "int")
      ++ints;
    else if (word == "char")
      ++chars;
    else if (word == "float")
      ++floats;
    else if (word == "double")
      ++doubles;
    else if (word == "_Bool" || word == "bool")
      ++bools;
    else if (word == "unsigned")
      sign = sign ? 9 : 2;
    else if (word == "signed")
      sign = sign ? 9 : 1;
    else
      return "";
  }
  if (!words || sign == 9 || ints > 1 || longs > 2 || shorts > 1 || (longs && shorts)) return "";
  const bool is_unsigned = sign == 2;
  if (bools) return words == 1 ? "_Bool" : "";
  if (floats) return words == 1 ? "float" : "";
  if (doubles) return doubles == 1 && words == 1 + longs && longs <= 1 ? (longs ? "long double" : "double") : "";
  if (chars) {
    if (chars > 1 || longs || shorts || ints) return "";
    return sign == 0 ? "char" : is_unsigned ? "unsigned char" : "signed char";
  }
  if (shorts) return is_unsigned ? "short unsigned int" : "short int";
  if (longs == 2) return is_unsigned ? "long long unsigned int" : "long long int";
  if (longs == 1) return is_unsigned ? "long unsigned int" : "long int";
  return is_unsigned ? "unsigned int" : "int";
}

// How deep a type's parts go before a malformed file's cycle is assumed (C's own nest a
// handful deep).
constexpr int kMaxTypeDepth = 64;

// C's declarator syntax: the name of `type` around `inner` (what is declared so far).
std::string declarator(const CType* type, const std::string& inner, int depth = 0) {
  // A malformed file can make a type its own target: name so far, then give up.
  if (depth > kMaxTypeDepth) return "...";
  if (!type) return "void" + (inner.empty() ? "" : " " + inner);
  auto spaced = [](const std::string& base, const std::string& rest) {
    if (rest.empty()) return base;
    return base + (rest[0] == '*' || rest[0] == '(' || rest[0] == '[' ? " " : " ") + rest;
  };
  switch (type->kind) {
    case CType::Kind::Pointer: {
      const CType* target = type->target;
      const bool wrap = target && (target->kind == CType::Kind::Array || target->kind == CType::Kind::Function);
      return declarator(target, wrap ? "(*" + inner + ")" : "*" + inner, depth + 1);
    }
    case CType::Kind::Array:
      return declarator(type->target, inner + "[" + (type->count ? std::to_string(type->count) : "") + "]", depth + 1);
    case CType::Kind::Function: {
      std::string parameters;
      for (size_t i = 0; i < type->parameters.size(); ++i) {
        parameters += (i ? ", " : "") + declarator(type->parameters[i], "", depth + 1);
      }
      if (type->variadic) parameters += parameters.empty() ? "..." : ", ...";
      if (parameters.empty()) parameters = "void";
      return declarator(type->target, inner + "(" + parameters + ")", depth + 1);
    }
    case CType::Kind::Const:
    case CType::Kind::Volatile: {
      const char* qualifier = type->kind == CType::Kind::Const ? "const" : "volatile";
      const CType* target = type->target;
      if (target && target->kind == CType::Kind::Pointer) {
        return declarator(target, std::string(qualifier) + (inner.empty() ? "" : " " + inner), depth + 1);
      }
      // A qualified array is an array of qualified elements (C 6.7.3): gcc says so twice,
      // on the array and on its element, and C says it once.
      const CType* element = target && target->kind == CType::Kind::Array ? target->target : nullptr;
      while (element && element->kind != type->kind &&
             (element->kind == CType::Kind::Const || element->kind == CType::Kind::Volatile))
        element = element->target;
      if (element && element->kind == type->kind) return declarator(target, inner, depth + 1);
      return std::string(qualifier) + " " + declarator(target, inner, depth + 1);
    }
    case CType::Kind::Struct: return spaced("struct " + type->name, inner);
    case CType::Kind::Union: return spaced("union " + type->name, inner);
    case CType::Kind::Enum: return spaced("enum " + type->name, inner);
    case CType::Kind::Void: return spaced(type->name.empty() ? "void" : type->name, inner);
    default: return spaced(type->name, inner);
  }
}

}  // namespace

uint64_t byte_size(const CType* type) {
  for (int depth = 0; type && depth < kMaxTypeDepth; ++depth) {
    if (type->size) return type->size;
    if (type->kind == CType::Kind::Array) return type->count * byte_size(type->target);
    if (type->kind != CType::Kind::Typedef && type->kind != CType::Kind::Const && type->kind != CType::Kind::Volatile)
      return 0;
    type = type->target;
  }
  return 0;
}

const CType* strip(const CType* type) {
  for (int depth = 0; type && (type->kind == CType::Kind::Typedef || type->kind == CType::Kind::Const ||
                               type->kind == CType::Kind::Volatile);
       ++depth) {
    if (depth == kMaxTypeDepth) return nullptr;  // a typedef of itself, in a malformed file
    type = type->target;
  }
  return type;
}

std::string type_name(const CType* type) {
  std::string name = declarator(type, "");
  // "char *" reads better than "char  *"; an anonymous struct is "struct <anonymous>".
  std::string::size_type at;
  while ((at = name.find("  ")) != std::string::npos) name.erase(at, 1);
  if (name.rfind("struct ", 0) == 0 && (name.size() == 7 || name[7] == ' ' || name[7] == '*')) {
    name.insert(7, "<anonymous>");
  }
  return name;
}

bool is_integral(const CType* type) {
  type = strip(type);
  return type &&
         (type->kind == CType::Kind::Integer || type->kind == CType::Kind::Bool || type->kind == CType::Kind::Enum);
}

bool is_arithmetic(const CType* type) {
  return is_integral(type) || (strip(type) && strip(type)->kind == CType::Kind::Float);
}

bool is_scalar(const CType* type) {
  return is_arithmetic(type) || (strip(type) && strip(type)->kind == CType::Kind::Pointer);
}

TypeTable::TypeTable(void* dwarf) : dwarf_(dwarf) { void_.name = "void"; }

TypeTable::~TypeTable() = default;

const CType* TypeTable::add(std::unique_ptr<CType> type) {
  owned_.push_back(std::move(type));
  return owned_.back().get();
}

const CType* TypeTable::type_of(const void* die) {
  Dwarf_Die type;
  if (!attribute_die(as_die(die), DW_AT_type, &type)) return &void_;
  return from_die(&type);
}

const CType* TypeTable::from_die(const void* raw) {
  Dwarf_Die* die = as_die(raw);
  const uint64_t offset = dwarf_dieoffset(die);
  if (auto found = by_offset_.find(offset); found != by_offset_.end()) return found->second;
  // Types nest a few levels; a malformed file's chain thousands deep would exhaust the stack.
  if (depth_ >= kMaxTypeDepth) return &void_;
  struct Deeper {
    int& depth;
    explicit Deeper(int& d) : depth(d) { ++depth; }
    ~Deeper() { --depth; }
  } deeper(depth_);

  // restrict and _Atomic say nothing a debugger shows: the type is what they qualify.
  if (dwarf_tag(die) == DW_TAG_restrict_type || dwarf_tag(die) == DW_TAG_atomic_type) {
    const CType* qualified = type_of(die);
    by_offset_[offset] = qualified;
    return qualified;
  }
  auto owned = std::make_unique<CType>();
  CType* type = owned.get();
  by_offset_[offset] = add(std::move(owned));  // before its parts: a struct can point at itself
  type->name = die_name(die);
  Dwarf_Word size = 0;
  if (attribute_unsigned(die, DW_AT_byte_size, &size)) type->size = size;

  switch (dwarf_tag(die)) {
    case DW_TAG_base_type: {
      Dwarf_Word encoding = 0;
      attribute_unsigned(die, DW_AT_encoding, &encoding);
      switch (encoding) {
        case DW_ATE_boolean: type->kind = CType::Kind::Bool; break;
        case DW_ATE_float: type->kind = CType::Kind::Float; break;
        case DW_ATE_signed_char:
        case DW_ATE_unsigned_char:
          type->kind = CType::Kind::Integer;
          type->is_char = true;
          type->is_signed = encoding == DW_ATE_signed_char;
          break;
        default: type->kind = CType::Kind::Integer; type->is_signed = encoding == DW_ATE_signed;
      }
      break;
    }
    case DW_TAG_pointer_type:
    case DW_TAG_reference_type:
    case DW_TAG_rvalue_reference_type:
      type->kind = CType::Kind::Pointer;
      if (!type->size) type->size = 8;
      type->target = type_of(die);
      break;
    case DW_TAG_const_type:
    case DW_TAG_volatile_type:
    case DW_TAG_typedef:
      type->kind = dwarf_tag(die) == DW_TAG_const_type      ? CType::Kind::Const
                   : dwarf_tag(die) == DW_TAG_volatile_type ? CType::Kind::Volatile
                                                            : CType::Kind::Typedef;
      type->target = type_of(die);
      type->size = type->target ? type->target->size : 0;
      break;
    case DW_TAG_structure_type:
    case DW_TAG_class_type:
    case DW_TAG_union_type: {
      type->kind = dwarf_tag(die) == DW_TAG_union_type ? CType::Kind::Union : CType::Kind::Struct;
      type->complete = !dwarf_hasattr(die, DW_AT_declaration);
      Dwarf_Die child;
      if (dwarf_child(die, &child) != 0) break;
      do {
        if (dwarf_tag(&child) != DW_TAG_member) continue;
        Member member{die_name(&child), type_of(&child), 0, 0, 0};
        member_place(&child, member.type, &member);
        type->members.push_back(member);
      } while (dwarf_siblingof(&child, &child) == 0);
      break;
    }
    case DW_TAG_enumeration_type: {
      type->kind = CType::Kind::Enum;
      type->complete = !dwarf_hasattr(die, DW_AT_declaration);
      if (dwarf_hasattr(die, DW_AT_type)) type->target = type_of(die);
      Dwarf_Die child;
      bool negative = false;
      if (dwarf_child(die, &child) == 0) {
        do {
          if (dwarf_tag(&child) != DW_TAG_enumerator) continue;
          Dwarf_Attribute attribute;
          Dwarf_Sword value = 0;
          if (dwarf_attr(&child, DW_AT_const_value, &attribute)) dwarf_formsdata(&attribute, &value);
          negative |= value < 0;
          type->enumerators.emplace_back(die_name(&child), int64_t(value));
        } while (dwarf_siblingof(&child, &child) == 0);
      }
      const CType* underlying = strip(type->target);
      type->is_signed = underlying ? underlying->is_signed : negative;
      break;
    }
    case DW_TAG_array_type: {
      std::vector<uint64_t> counts;
      Dwarf_Die child;
      if (dwarf_child(die, &child) == 0) {
        do {
          if (dwarf_tag(&child) != DW_TAG_subrange_type) continue;
          Dwarf_Word count = 0, upper = 0;
          if (attribute_unsigned(&child, DW_AT_count, &count)) {
            counts.push_back(count);
          } else if (dwarf_hasattr(&child, DW_AT_upper_bound) &&
                     attribute_unsigned(&child, DW_AT_upper_bound, &upper)) {
            counts.push_back(upper + 1);
          } else {
            counts.push_back(0);  // int a[], or a VLA's bound in a location
          }
        } while (dwarf_siblingof(&child, &child) == 0);
      }
      if (counts.empty()) counts.push_back(0);
      // int m[2][3] is an array of 2 arrays of 3: the outermost is this DIE's type.
      const CType* element = type_of(die);
      for (size_t i = counts.size(); i-- > 1;) {
        auto inner = std::make_unique<CType>();
        inner->kind = CType::Kind::Array;
        inner->target = element;
        inner->count = counts[i];
        inner->size = counts[i] * (element ? element->size : 0);
        element = add(std::move(inner));
      }
      type->kind = CType::Kind::Array;
      type->target = element;
      type->count = counts[0];
      type->size = counts[0] * (element ? element->size : 0);
      break;
    }
    case DW_TAG_subroutine_type:
    case DW_TAG_subprogram: {
      type->kind = CType::Kind::Function;
      type->target = dwarf_hasattr(die, DW_AT_type) ? type_of(die) : nullptr;
      Dwarf_Die child;
      if (dwarf_child(die, &child) == 0) {
        do {
          if (dwarf_tag(&child) == DW_TAG_formal_parameter) type->parameters.push_back(type_of(&child));
          if (dwarf_tag(&child) == DW_TAG_unspecified_parameters) type->variadic = true;
        } while (dwarf_siblingof(&child, &child) == 0);
      }
      break;
    }
    default: type->kind = CType::Kind::Void;  // DW_TAG_unspecified_type and the like
  }
  return type;
}

const CType* TypeTable::builtin(const std::string& name) {
  const std::string canonical = canonical_builtin(name);
  if (canonical.empty()) return nullptr;
  if (auto found = builtins_.find(canonical); found != builtins_.end()) return found->second;
  index_names();
  const CType* type = nullptr;
  if (auto found = names_.find("base " + canonical); found != names_.end()) {
    Dwarf_Die die;
    if (dwarf_offdie(static_cast<Dwarf*>(dwarf_), found->second, &die)) type = from_die(&die);
  }
  if (!type) {
    for (const Builtin& b : kBuiltins) {
      if (canonical != b.dwarf_name) continue;
      auto made = std::make_unique<CType>();
      made->kind = b.kind;
      made->name = b.dwarf_name;
      made->size = b.size;
      made->is_signed = b.is_signed;
      made->is_char = b.is_char;
      type = add(std::move(made));
    }
  }
  builtins_[canonical] = type;
  return type;
}

const CType* TypeTable::pointer_to(const CType* target) {
  if (auto found = pointers_.find(target); found != pointers_.end()) return found->second;
  auto made = std::make_unique<CType>();
  made->kind = CType::Kind::Pointer;
  made->size = 8;
  made->target = target;
  return pointers_[target] = add(std::move(made));
}

const CType* TypeTable::named(const std::string& name) {
  if (const CType* type = builtin(name)) return type;
  if (name == "void") return &void_;
  index_names();
  auto found = names_.find(name);
  if (found == names_.end()) return nullptr;
  Dwarf_Die die;
  if (!dwarf_offdie(static_cast<Dwarf*>(dwarf_), found->second, &die)) return nullptr;
  return from_die(&die);
}

void TypeTable::index_enumerators(void* raw) {
  Dwarf_Die* type = static_cast<Dwarf_Die*>(raw);
  Dwarf_Die child;
  if (dwarf_child(type, &child) != 0) return;
  do {
    const char* name = dwarf_diename(&child);
    Dwarf_Attribute attribute;
    Dwarf_Sword value = 0;
    if (!name || dwarf_tag(&child) != DW_TAG_enumerator) continue;
    if (dwarf_attr(&child, DW_AT_const_value, &attribute)) dwarf_formsdata(&attribute, &value);
    if (names_.emplace(std::string("enumerator ") + name, dwarf_dieoffset(type)).second) {
      enumerator_values_[name] = value;
    }
  } while (dwarf_siblingof(&child, &child) == 0);
}

bool TypeTable::find_die(const std::string& key, void* out) {
  index_names();
  auto found = names_.find(key);
  return found != names_.end() &&
         dwarf_offdie(static_cast<Dwarf*>(dwarf_), found->second, static_cast<Dwarf_Die*>(out));
}

bool TypeTable::find_global(const std::string& name, void* die) { return find_die("var " + name, die); }

bool TypeTable::find_function(const std::string& name, void* die) { return find_die("fn " + name, die); }

bool TypeTable::find_enumerator(const std::string& name, void* type_die, int64_t* value) {
  if (!find_die("enumerator " + name, type_die)) return false;
  *value = enumerator_values_[name];
  return true;
}

void TypeTable::index_names() {
  if (names_indexed_ || !dwarf_) return;
  names_indexed_ = true;
  Dwarf_CU* unit = nullptr;
  Dwarf_Die cu;
  while (dwarf_get_units(static_cast<Dwarf*>(dwarf_), unit, &unit, nullptr, nullptr, &cu, nullptr) == 0) {
    Dwarf_Die child;
    if (dwarf_child(&cu, &child) != 0) continue;
    do {
      const char* name = dwarf_diename(&child);
      if (!name) {
        if (dwarf_tag(&child) == DW_TAG_enumeration_type) index_enumerators(&child);
        continue;
      }
      std::string key;
      switch (dwarf_tag(&child)) {
        case DW_TAG_variable:
          if (!dwarf_hasattr(&child, DW_AT_location) && !dwarf_hasattr(&child, DW_AT_const_value)) continue;
          names_.emplace(std::string("var ") + name, dwarf_dieoffset(&child));
          continue;
        case DW_TAG_subprogram:
          if (!dwarf_hasattr(&child, DW_AT_low_pc)) continue;
          names_.emplace(std::string("fn ") + name, dwarf_dieoffset(&child));
          continue;
        case DW_TAG_base_type: key = std::string("base ") + name; break;
        case DW_TAG_typedef: key = name; break;
        case DW_TAG_structure_type: key = std::string("struct ") + name; break;
        case DW_TAG_union_type: key = std::string("union ") + name; break;
        case DW_TAG_enumeration_type: key = std::string("enum ") + name; break;
        default: continue;
      }
      if (dwarf_tag(&child) == DW_TAG_enumeration_type) index_enumerators(&child);
      const bool declaration = dwarf_hasattr(&child, DW_AT_declaration);
      auto [at, inserted] = names_.emplace(key, dwarf_dieoffset(&child));
      if (!inserted && !declaration) {
        Dwarf_Die old;
        if (dwarf_offdie(static_cast<Dwarf*>(dwarf_), at->second, &old) && dwarf_hasattr(&old, DW_AT_declaration)) {
          at->second = dwarf_dieoffset(&child);
        }
      }
    } while (dwarf_siblingof(&child, &child) == 0);
  }
}

}  // namespace microscope
