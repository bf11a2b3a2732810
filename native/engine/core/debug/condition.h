// When a breakpoint stops: its condition, a C expression over the variables and
// registers of the frame it is in (`n == 2`, `rax == 3`, `p->next && p->value > 10`),
// and its hit condition on the count of the times the condition held (`3`: from the
// third time on, as gdb's ignore count and VS Code's C/C++ and JavaScript debuggers take
// it; `== 3`: the third time only; `>= 3`, `> 3`, `<= 3`, `< 3`; `% 3`: every third).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "c_expression.h"

namespace microscope {

class Condition {
 public:
  Condition() = default;  // always true
  // Throws a usage error naming what is wrong with `text`.
  static Condition parse(const std::string& text, TypeTable& types);

  // Whether it holds in `frame`; an expression that can't be evaluated there (a name
  // that isn't in scope, memory that can't be read) holds, with `error` saying why, so
  // that the user sees the stop and the reason.
  bool holds(const FrameContext& frame, std::string* error) const;
  const std::string& text() const { return text_; }
  bool always() const { return text_.empty(); }
  const Expression* expression() const { return expression_ ? &*expression_ : nullptr; }

 private:
  std::string text_;
  std::optional<Expression> expression_;
};

class HitCondition {
 public:
  HitCondition() = default;  // every hit
  static HitCondition parse(const std::string& text);
  bool holds(uint64_t hits) const;
  const std::string& text() const { return text_; }

 private:
  enum class Op { Equal, Greater, GreaterOrEqual, Less, LessOrEqual, Every };
  std::string text_;
  Op op_ = Op::GreaterOrEqual;
  uint64_t count_ = 0;
};

}  // namespace microscope
