// Return addresses, one per calling function: every call from the same function (and the
// same functions inlined where the call is) stands for one place in an exact profile's
// call path. fib's two recursive calls make one path per depth, not one per call (2^n),
// so the exact profile of a deep recursion stays as small as the program's shape. The
// running code's lines and instructions stay exact; callers are known by function.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

namespace microscope {

class DebugInfo;
class Sandbox;

class CallSites {
 public:
  CallSites(const Sandbox& sandbox, const DebugInfo& debug_info) : sandbox_(sandbox), debug_info_(debug_info) {}
  // The first return address seen from the same function as `return_address`.
  uint64_t canonical(uint64_t return_address);

 private:
  const Sandbox& sandbox_;
  const DebugInfo& debug_info_;
  std::unordered_map<uint64_t, uint64_t> canonical_;
  std::unordered_map<std::string, uint64_t> by_function_;
};

}  // namespace microscope
