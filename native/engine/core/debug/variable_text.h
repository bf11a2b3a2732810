// What a debugger shows of a value: its text as gdb prints it (`3`, `97 'a'`, `0x1040
// "hello"`, `{x = 1, y = 2}`, `{1, 2, 3...}`, `RED`, `<optimized out>`) and its children
// for a tree view (a struct's members, an array's elements, what a pointer points to),
// each with the expression that names it, so that a front end can evaluate, watch or
// set it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "frame_variables.h"

namespace microscope {

struct TextLimits {
  size_t string_length = 200;  // characters of a char * or char array
  size_t elements = 100;       // of an array in a summary
  size_t text = 400;           // characters of a summary
  // "fib" for an address of code, "" when none: a function pointer shows it.
  std::function<std::string(uint64_t)> function_at;
};

std::string value_text(const FrameContext& frame, const DebugValue& value, const TextLimits& limits);

struct ChildValue {
  std::string name;        // "x", "[3]", "*p"
  std::string expression;  // "p.x", "a[3]", "*p", "p->next"
  DebugValue value;
};

// Whether a tree view can open the value.
bool has_children(const FrameContext& frame, const DebugValue& value);
// Its children `start` to `start + count` (an array's elements; members and pointees
// have all of theirs at once). `expression` names `value`.
std::vector<ChildValue> children_of(const FrameContext& frame, const DebugValue& value, const std::string& expression,
                                    uint64_t start = 0, uint64_t count = 1000);
// How many children an array has (its count), or -1 for members and pointees.
int64_t child_count(const DebugValue& value);

}  // namespace microscope
