// A typed value crossing the guest boundary: a call's arguments and result, a host
// function's arguments and result.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../../include/microscope/abi.h"

namespace microscope {

enum class Type : uint8_t {
  Void = MS_TYPE_VOID,
  I32 = MS_TYPE_I32,
  U32 = MS_TYPE_U32,
  I64 = MS_TYPE_I64,
  U64 = MS_TYPE_U64,
  F64 = MS_TYPE_F64,
  Bool = MS_TYPE_BOOL,
  Str = MS_TYPE_STR,
  Bytes = MS_TYPE_BYTES,
};

const char* type_name(Type type);
bool parse_type(const std::string& name, Type* out);
inline bool is_valid_type(uint8_t raw) { return raw < MS_TYPE_COUNT; }

struct Value {
  Type type = Type::Void;
  union {
    int64_t i64;   // I32 (sign-extended) and I64
    uint64_t u64;  // U32, U64, Bool (0 or 1)
    double f64;
  };
  std::string data;  // Str (UTF-8, no NUL) and Bytes

  Value() : u64(0) {}
  // One constructor a line, a table to read down.
  // clang-format off
  static Value of_i32(int32_t v) { Value x; x.type = Type::I32; x.i64 = v; return x; }
  static Value of_u32(uint32_t v) { Value x; x.type = Type::U32; x.u64 = v; return x; }
  static Value of_i64(int64_t v) { Value x; x.type = Type::I64; x.i64 = v; return x; }
  static Value of_u64(uint64_t v) { Value x; x.type = Type::U64; x.u64 = v; return x; }
  static Value of_f64(double v) { Value x; x.type = Type::F64; x.f64 = v; return x; }
  static Value of_bool(bool v) { Value x; x.type = Type::Bool; x.u64 = v; return x; }
  static Value of_str(std::string v) { Value x; x.type = Type::Str; x.data = std::move(v); return x; }
  static Value of_bytes(std::string v) { Value x; x.type = Type::Bytes; x.data = std::move(v); return x; }
  // clang-format on
};

// A function's signature, for guest exports and host functions alike.
struct Signature {
  std::string name;
  Type returns = Type::Void;
  std::vector<Type> params;
  std::vector<std::string> param_names;  // may be empty (host functions)
};

std::string describe(const Signature& signature);  // "i64 add(i64 a, i64 b)"

}  // namespace microscope
