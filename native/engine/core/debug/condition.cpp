#include "condition.h"

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <regex>

#include "../errors.h"

namespace microscope {

namespace {

struct RegisterName {
  const char* name;
  size_t offset;
};

const RegisterName kRegisters[] = {
    {"rax", offsetof(Registers, rax)}, {"rbx", offsetof(Registers, rbx)}, {"rcx", offsetof(Registers, rcx)},
    {"rdx", offsetof(Registers, rdx)}, {"rsi", offsetof(Registers, rsi)}, {"rdi", offsetof(Registers, rdi)},
    {"rbp", offsetof(Registers, rbp)}, {"rsp", offsetof(Registers, rsp)}, {"r8", offsetof(Registers, r8)},
    {"r9", offsetof(Registers, r9)},   {"r10", offsetof(Registers, r10)}, {"r11", offsetof(Registers, r11)},
    {"r12", offsetof(Registers, r12)}, {"r13", offsetof(Registers, r13)}, {"r14", offsetof(Registers, r14)},
    {"r15", offsetof(Registers, r15)}, {"rip", offsetof(Registers, rip)}, {"rflags", offsetof(Registers, rflags)},
};

}  // namespace

Condition Condition::parse(const std::string& text) {
  static const std::regex pattern(R"(^\s*([a-z0-9]+)\s*(==|!=|<=|>=|<|>)\s*(-?)(0x[0-9a-fA-F]+|[0-9]+)\s*$)");
  std::smatch match;
  if (!std::regex_match(text, match, pattern)) {
    throw usage_error("condition '" + text +
                      "' is not REGISTER OP NUMBER (OP one of == != < <= > >=), as in 'rax == 3'");
  }
  Condition condition;
  condition.text_ = text;
  const std::string name = match[1];
  const RegisterName* found = nullptr;
  for (const RegisterName& r : kRegisters) {
    if (name == r.name) found = &r;
  }
  if (!found) throw usage_error("condition '" + text + "': there is no register '" + name + "' (rax-r15, rip, rflags)");
  condition.register_offset_ = found->offset;
  const std::string op = match[2];
  condition.op_ = op == "=="   ? Op::Equal
                  : op == "!=" ? Op::NotEqual
                  : op == "<"  ? Op::Less
                  : op == "<=" ? Op::LessOrEqual
                  : op == ">"  ? Op::Greater
                               : Op::GreaterOrEqual;
  const std::string digits = match[4];
  errno = 0;
  const uint64_t magnitude = std::strtoull(digits.c_str(), nullptr, 0);
  if (errno == ERANGE) throw usage_error("condition '" + text + "': " + digits + " does not fit 64 bits");
  condition.value_ = match[3].length() ? int64_t(0 - magnitude) : int64_t(magnitude);
  return condition;
}

bool Condition::holds(const Registers& registers) const {
  if (always()) return true;
  uint64_t raw;
  std::memcpy(&raw, reinterpret_cast<const uint8_t*>(&registers) + register_offset_, 8);
  const int64_t value = int64_t(raw);
  switch (op_) {
    case Op::Equal: return value == value_;
    case Op::NotEqual: return value != value_;
    case Op::Less: return value < value_;
    case Op::LessOrEqual: return value <= value_;
    case Op::Greater: return value > value_;
    case Op::GreaterOrEqual: return value >= value_;
  }
  return false;
}

}  // namespace microscope
