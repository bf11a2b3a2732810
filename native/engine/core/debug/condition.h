// A breakpoint's condition: one register compared with a number, as in `rax == 3`,
// `rdi != 0x10`, `rsi >= -1`. Registers are the 64-bit general-purpose ones, rip and
// rflags; numbers are decimal or 0x-hex, compared as signed 64-bit integers.
#pragma once

#include <cstdint>
#include <string>

#include "../backend.h"

namespace microscope {

class Condition {
 public:
  Condition() = default;  // always true
  // Throws a usage error naming what is wrong with `text`.
  static Condition parse(const std::string& text);

  bool holds(const Registers& registers) const;
  const std::string& text() const { return text_; }
  bool always() const { return text_.empty(); }

 private:
  enum class Op { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual };
  std::string text_;
  size_t register_offset_ = 0;  // into Registers
  Op op_ = Op::Equal;
  int64_t value_ = 0;
};

}  // namespace microscope
