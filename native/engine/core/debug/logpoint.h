// A logpoint's message: text with C expressions in braces, as VS Code writes them
// ("fib({n}) from {p->name}"; `\{` and `\}` are braces), evaluated in the frame each
// time the logpoint is reached, instead of stopping.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "c_expression.h"

namespace microscope {

class LogMessage {
 public:
  LogMessage() = default;
  // Throws a usage error for an unclosed brace or an expression that doesn't parse.
  static LogMessage parse(const std::string& text, TypeTable& types);

  bool empty() const { return text_.empty(); }
  const std::string& text() const { return text_; }
  // The message with each expression's value (as a debugger prints it), or its error in
  // angle brackets.
  std::string render(const FrameContext& frame) const;
  std::vector<const Expression*> expressions() const;

 private:
  struct Part {
    std::string literal;
    std::optional<Expression> expression;
  };
  std::string text_;
  std::vector<Part> parts_;
};

}  // namespace microscope
