#include "variable_text.h"

#include <charconv>
#include <cstring>

#include "../errors.h"

namespace microscope {

namespace {

// C's escapes for a character in a quoted string or character constant.
std::string escaped(uint8_t c, char quote) {
  switch (c) {
    case '\n': return "\\n";
    case '\t': return "\\t";
    case '\r': return "\\r";
    case '\0': return "\\000";
    case '\\': return "\\\\";
    default: break;
  }
  if (c == uint8_t(quote)) return std::string("\\") + quote;
  if (c < 0x20 || c >= 0x7f) {
    char octal[8];
    std::snprintf(octal, sizeof octal, "\\%03o", c);
    return octal;
  }
  return std::string(1, char(c));
}

template <typename Float>
std::string float_text(Float value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

bool is_char_type(const CType* type) {
  const CType* t = strip(type);
  return t && t->kind == CType::Kind::Integer && t->is_char && t->size == 1;
}

// Adds to a summary while it has room; false once it is full.
class Summary {
 public:
  explicit Summary(size_t limit) : limit_(limit) {}
  bool add(const std::string& text) {
    if (full_) return false;
    if (text_.size() + text.size() > limit_) {
      text_ += text.substr(0, limit_ - std::min(limit_, text_.size()));
      text_ += "...";
      full_ = true;
      return false;
    }
    text_ += text;
    return true;
  }
  bool full() const { return full_; }
  const std::string& text() const { return text_; }

 private:
  size_t limit_;
  std::string text_;
  bool full_ = false;
};

class Formatter {
 public:
  Formatter(const FrameContext& frame, const TextLimits& limits) : frame_(frame), limits_(limits) {}

  std::string text(const DebugValue& value, int depth) {
    if (!value.available()) return short_reason(value.unavailable);
    const CType* type = strip(value.type);
    if (!type || type->kind == CType::Kind::Void) return "void";
    switch (type->kind) {
      case CType::Kind::Struct:
      case CType::Kind::Union: return aggregate(value, type, depth);
      case CType::Kind::Array: return array(value, type, depth);
      case CType::Kind::Function: return hex(value.address) + function_name(value.address);
      default: return scalar(value, type);
    }
  }

  // "hello" from `address`, at most the limit, stopping at a NUL.
  std::string string_at(uint64_t address, uint64_t max) {
    std::string text = "\"";
    const uint64_t limit = std::min<uint64_t>(max, limits_.string_length);
    uint64_t i = 0;
    for (; i < limit; ++i) {
      uint8_t c;
      if (!frame_.memory.contains(address + i, 1))
        return text + "\"" + " <can't read memory at " + hex(address + i) + ">";
      frame_.memory.read(address + i, &c, 1);
      if (c == 0) return text + "\"";
      text += escaped(c, '"');
    }
    return text + (i < max ? "\"..." : "\"");
  }

 private:
  static std::string short_reason(const std::string& why) {
    return why.rfind("optimized out", 0) == 0 ? "<optimized out>" : "<unavailable>";
  }

  std::string function_name(uint64_t address) {
    const std::string name = limits_.function_at ? limits_.function_at(address) : "";
    return name.empty() ? "" : " <" + name + ">";
  }

  std::string scalar(const DebugValue& value, const CType* type) {
    if (type->kind == CType::Kind::Float && !value.bit_size) {
      std::vector<uint8_t> bytes;
      std::string why;
      if (!read_value(frame_, value, 0, type->size, &bytes, &why)) return short_reason(why);
      if (type->size == 4) {
        float f;
        std::memcpy(&f, bytes.data(), 4);
        return float_text(f);
      }
      if (type->size == 8) {
        double d;
        std::memcpy(&d, bytes.data(), 8);
        return float_text(d);
      }
      long double ld = 0;
      std::memcpy(&ld, bytes.data(), std::min<size_t>(sizeof ld, bytes.size()));
      return float_text(ld);
    }
    uint64_t bits;
    std::string why;
    if (!scalar_bits(frame_, value, &bits, &why)) return "<" + why + ">";
    switch (type->kind) {
      case CType::Kind::Bool: return bits == 0 ? "false" : bits == 1 ? "true" : std::to_string(bits);
      case CType::Kind::Enum:
        for (const auto& [name, number] : type->enumerators) {
          if (uint64_t(number) == bits || (!type->is_signed && uint64_t(uint32_t(number)) == bits)) return name;
        }
        return type->is_signed ? std::to_string(int64_t(bits)) : std::to_string(bits);
      case CType::Kind::Pointer: return pointer(bits, type);
      default: break;
    }
    const std::string number = type->is_signed ? std::to_string(int64_t(bits)) : std::to_string(bits);
    if (type->is_char && type->size == 1 && !value.bit_size) return number + " '" + escaped(uint8_t(bits), '\'') + "'";
    return number;
  }

  std::string pointer(uint64_t address, const CType* type) {
    std::string text = hex(address);
    const CType* target = strip(type->target);
    if (!address) return text;
    if (target && target->kind == CType::Kind::Function) return text + function_name(address);
    if (is_char_type(type->target)) return text + " " + string_at(address, UINT64_MAX);
    return text;
  }

  std::string aggregate(const DebugValue& value, const CType* type, int depth) {
    if (!type->complete) return "<incomplete type>";
    if (depth > 2) return "{...}";
    Summary out(limits_.text);
    out.add("{");
    bool first = true;
    for (const Member& member : type->members) {
      DebugValue part = part_of(value, member.type, member.offset);
      part.bit_offset = member.bit_offset;
      part.bit_size = member.bit_size;
      const std::string name = member.name.empty() ? "" : member.name + " = ";
      if (!out.add((first ? "" : ", ") + name + text(part, depth + 1))) break;
      first = false;
    }
    out.add("}");
    return out.text();
  }

  std::string array(const DebugValue& value, const CType* type, int depth) {
    const CType* element = type->target;
    if (is_char_type(element) && value.place == DebugValue::Place::Memory) {
      return string_at(value.address, type->count ? type->count : limits_.string_length);
    }
    if (is_char_type(element)) {
      std::string text = "\"";
      for (uint8_t c : value.bytes) {
        if (!c) break;
        text += escaped(c, '"');
      }
      return text + "\"";
    }
    if (depth > 2) return "{...}";
    Summary out(limits_.text);
    out.add("{");
    const uint64_t size = element ? element->size : 0;
    const uint64_t shown = std::min<uint64_t>(type->count, limits_.elements);
    for (uint64_t i = 0; i < shown && size; ++i) {
      if (!out.add((i ? ", " : "") + text(part_of(value, element, i * size), depth + 1))) break;
    }
    if (!out.full() && shown < type->count) out.add("...");
    out.add("}");
    return out.text();
  }

  const FrameContext& frame_;
  const TextLimits& limits_;
};

// An expression with `suffix` applied binds as written when it is a plain name or a
// chain of members and elements; anything else needs parentheses.
std::string operand(const std::string& expression) {
  for (char c : expression) {
    if (!(std::isalnum(uint8_t(c)) || c == '_' || c == '.' || c == '[' || c == ']' || c == '-' || c == '>' ||
          c == '$')) {
      return "(" + expression + ")";
    }
  }
  if (expression.find("->") == std::string::npos && expression.find('-') != std::string::npos) {
    return "(" + expression + ")";
  }
  return expression;
}

void add_members(const FrameContext& frame, const DebugValue& value, const CType* type, const std::string& prefix,
                 std::vector<ChildValue>* out, int depth = 0) {
  if (depth > 16) return;  // anonymous members within anonymous members: a malformed file's cycle
  for (const Member& member : type->members) {
    DebugValue part = part_of(value, member.type, member.offset);
    part.bit_offset = member.bit_offset;
    part.bit_size = member.bit_size;
    if (member.name.empty()) {
      // An anonymous struct or union: its members are the outer one's, by C's rules.
      const CType* inner = strip(member.type);
      if (inner && (inner->kind == CType::Kind::Struct || inner->kind == CType::Kind::Union)) {
        add_members(frame, part, inner, prefix, out, depth + 1);
      }
      continue;
    }
    out->push_back({member.name, prefix + member.name, part});
  }
}

}  // namespace

std::string value_text(const FrameContext& frame, const DebugValue& value, const TextLimits& limits) {
  return Formatter(frame, limits).text(value, 0);
}

bool has_children(const FrameContext& frame, const DebugValue& value) {
  if (!value.available()) return false;
  const CType* type = strip(value.type);
  if (!type) return false;
  switch (type->kind) {
    case CType::Kind::Struct:
    case CType::Kind::Union: return type->complete && !type->members.empty();
    case CType::Kind::Array: return type->count > 0;
    case CType::Kind::Pointer: {
      const CType* target = strip(type->target);
      if (!target || target->kind == CType::Kind::Void || target->kind == CType::Kind::Function) return false;
      uint64_t address;
      std::string why;
      return scalar_bits(frame, value, &address, &why) && address != 0;
    }
    default: return false;
  }
}

int64_t child_count(const DebugValue& value) {
  const CType* type = strip(value.type);
  return type && type->kind == CType::Kind::Array ? int64_t(type->count) : -1;
}

std::vector<ChildValue> children_of(const FrameContext& frame, const DebugValue& value, const std::string& expression,
                                    uint64_t start, uint64_t count) {
  std::vector<ChildValue> out;
  if (!has_children(frame, value)) return out;
  const CType* type = strip(value.type);
  const std::string base = operand(expression);
  if (type->kind == CType::Kind::Struct || type->kind == CType::Kind::Union) {
    // (*p).x reads better as p->x.
    const bool pointee =
        expression.size() > 1 && expression[0] == '*' && operand(expression.substr(1)) == expression.substr(1);
    add_members(frame, value, type, pointee ? expression.substr(1) + "->" : base + ".", &out);
  } else if (type->kind == CType::Kind::Array) {
    const uint64_t size = type->target ? type->target->size : 0;
    for (uint64_t i = start; i < type->count && i < start + count; ++i) {
      out.push_back({"[" + std::to_string(i) + "]", base + "[" + std::to_string(i) + "]",
                     part_of(value, type->target, i * size)});
    }
  } else {
    uint64_t address = 0;
    std::string why;
    scalar_bits(frame, value, &address, &why);
    DebugValue pointee;
    pointee.type = type->target;
    pointee.place = DebugValue::Place::Memory;
    pointee.address = address;
    const CType* target = strip(type->target);
    if (target->kind == CType::Kind::Struct || target->kind == CType::Kind::Union) {
      if (!frame.memory.contains(address, target->size)) {
        pointee.unavailable = "can't read memory at " + hex(address) + " (outside guest memory)";
        out.push_back({"*" + expression, "*" + base, pointee});
      } else {
        add_members(frame, pointee, target, base + "->", &out);
      }
      return out;
    } else {
      if (!frame.memory.contains(address, target->size ? target->size : 1)) {
        pointee.unavailable = "can't read memory at " + hex(address) + " (outside guest memory)";
      } else if (target->size <= 16 && target->kind != CType::Kind::Array) {
        read_value(frame, pointee, 0, target->size, &pointee.bytes, &why);
      }
      out.push_back({"*" + expression, "*" + base, pointee});
    }
  }
  return out;
}

}  // namespace microscope
