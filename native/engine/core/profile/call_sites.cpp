#include "call_sites.h"

#include "../debug/debug_info.h"
#include "../debug/frame_variables.h"
#include "../sandbox.h"

namespace microscope {

uint64_t CallSites::canonical(uint64_t return_address) {
  const auto found = canonical_.find(return_address);
  if (found != canonical_.end()) return found->second;
  uint64_t result = return_address;
  if (return_address) {
    const Symbol* symbol = sandbox_.function_at(return_address - 1);
    std::string key = symbol ? symbol->name : "";
    if (debug_info_.has_lines()) {
      for (const FunctionAt& function : inline_chain(debug_info_, return_address - 1)) key += "|" + function.name;
    }
    if (!key.empty()) result = by_function_.try_emplace(key, return_address).first->second;
  }
  canonical_.emplace(return_address, result);
  return result;
}

}  // namespace microscope
