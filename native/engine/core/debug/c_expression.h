// C expressions over a frame's variables and registers, as a debugger's watch, hover,
// console and breakpoint conditions take them: names, `.`, `->`, `[]`, unary `*`, `&`,
// `-`, `!`, `~`, casts to the program's types, sizeof, arithmetic, shifts, comparison,
// bitwise and logical operators, and `?:`, with C's conversions. Registers are names too
// (`rax == 3`), or `$rax` where a variable has the name. An expression is parsed once
// (a condition at the breakpoint's creation) and evaluated in a frame each time.
//
// Errors are usage errors that quote the expression and say what is wrong and where:
// "'p->x': column 1: p is an int, not a pointer to a struct or union".
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "dwarf_types.h"
#include "frame_variables.h"

namespace microscope {

struct ExpressionNode;

class Expression {
 public:
  // `types` resolves the program's type names for casts and sizeof.
  static Expression parse(const std::string& text, TypeTable& types);

  DebugValue evaluate(const FrameContext& frame) const;
  // Throws the usage error evaluate() would for each name that names nothing at the
  // frame's code (the code a breakpoint is at, before any of it runs), saying where.
  void check_names(const FrameContext& frame, const std::string& where) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::shared_ptr<const ExpressionNode> root_;
};

// Whether a scalar value is non-zero; throws (naming `text`) when it isn't a scalar.
bool is_true(const FrameContext& frame, const DebugValue& value, const std::string& text);

// How an assignment reaches the guest: its memory, and a register of the running frame
// (by DWARF number, its new 8 or 16 bytes; 49 is RFLAGS).
struct GuestWriter {
  std::function<void(uint64_t address, const std::vector<uint8_t>& bytes)> memory;
  std::function<void(int reg, const std::vector<uint8_t>& bytes)> reg;
};

// Writes `value`, converted as C's assignment converts it, to the place `target` is.
// `text` names the target in errors: a usage error says why it can't be set (a constant,
// a value in pieces, a register of a frame above the running one).
void assign(const FrameContext& frame, const DebugValue& target, const DebugValue& value, const std::string& text,
            const GuestWriter& writer);

}  // namespace microscope
