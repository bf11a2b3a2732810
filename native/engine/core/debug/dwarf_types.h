// The guest's C types as its DWARF describes them (DW_TAG_base_type, pointer, array,
// struct, union, enum, typedef, const/volatile, function), read by libdw on first use
// and kept for the life of the debug info. Values (frame_variables.h) and expressions
// (c_expression.h) carry a `const CType*`. The table also indexes the program's other
// top-level names (globals, functions, enumerators) for expressions to find.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace microscope {

struct CType;

struct Member {
  std::string name;  // "" for an anonymous struct or union inside
  const CType* type;
  uint64_t offset;      // bytes from the start of the aggregate
  uint32_t bit_size;    // a bitfield's width, 0 for a whole member
  uint32_t bit_offset;  // a bitfield's first bit, counted from bit 0 of `offset`'s byte
};

struct CType {
  enum class Kind {
    Void,
    Integer,
    Float,
    Bool,
    Enum,
    Pointer,
    Array,
    Struct,
    Union,
    Typedef,
    Const,
    Volatile,
    Function
  };
  Kind kind = Kind::Void;
  std::string name;  // the type's own name: "int", "Point" (of struct Point), "u32"
  uint64_t size = 0;
  bool is_signed = false;  // Integer, Enum
  bool is_char = false;    // Integer: char, signed char, unsigned char
  // Pointer: the pointee; Array: the element; Typedef, Const, Volatile: the type named;
  // Enum: the underlying integer type (or nullptr); Function: the result (nullptr: void).
  const CType* target = nullptr;
  uint64_t count = 0;                                        // Array: elements, 0 when DWARF doesn't say ([] or a VLA)
  bool complete = true;                                      // Struct, Union, Enum: false for a declaration only
  std::vector<Member> members;                               // Struct, Union
  std::vector<std::pair<std::string, int64_t>> enumerators;  // Enum
  std::vector<const CType*> parameters;                      // Function
  bool variadic = false;                                     // Function
};

// The type without typedefs, const and volatile.
const CType* strip(const CType* type);
// The bytes a value of the type takes: its size, or an array's count of its elements'.
uint64_t byte_size(const CType* type);
// As C writes it: "int", "struct Point *", "const char *", "int [2][3]", "int (*)(int)".
std::string type_name(const CType* type);
bool is_integral(const CType* type);    // integer, bool, enum (stripped)
bool is_arithmetic(const CType* type);  // and float
bool is_scalar(const CType* type);      // and pointer

class TypeTable {
 public:
  // `dwarf` is the Dwarf* the DIEs come from (nullptr: only the built-in types).
  explicit TypeTable(void* dwarf);
  ~TypeTable();

  // The type of a DIE (a Dwarf_Die*) with a DW_AT_type; void when it has none.
  const CType* type_of(const void* die);
  // The type a type DIE (a Dwarf_Die*) describes.
  const CType* from_die(const void* die);

  // C's own types, from the program where it has them: "int", "unsigned long", "char",
  // "double", "_Bool"... nullptr when `name` is none of them.
  const CType* builtin(const std::string& name);
  const CType* void_type() { return &void_; }
  const CType* int_type() { return builtin("int"); }
  const CType* pointer_to(const CType* target);
  // A type the program names: a typedef ("u32", "sqlite3"), "struct Point", "union U",
  // "enum Color", or a builtin. nullptr when it has none by that name. A complete
  // definition wins over a declaration.
  const CType* named(const std::string& name);

  // The program's other names at its units' top level, as Dwarf_Die* out parameters: a
  // global variable's defining DIE (one with a location), a function's (one with code),
  // and an enumeration's DIE with an enumerator of that name (and its value).
  bool find_global(const std::string& name, void* die);
  bool find_function(const std::string& name, void* die);
  bool find_enumerator(const std::string& name, void* type_die, int64_t* value);

 private:
  const CType* add(std::unique_ptr<CType> type);
  void index_names();
  void index_enumerators(void* type_die);
  bool find_die(const std::string& key, void* out);

  void* dwarf_;
  CType void_;
  std::unordered_map<uint64_t, const CType*> by_offset_;  // DIE offset in .debug_info
  std::unordered_map<const CType*, const CType*> pointers_;
  std::unordered_map<std::string, const CType*> builtins_;
  // "struct Point", "base int", "var x", "fn fib", "enumerator RED" -> DIE offset
  std::unordered_map<std::string, uint64_t> names_;
  std::unordered_map<std::string, int64_t> enumerator_values_;
  bool names_indexed_ = false;
  int depth_ = 0;  // of from_die's recursion into a type's parts
  std::vector<std::unique_ptr<CType>> owned_;
};

}  // namespace microscope
