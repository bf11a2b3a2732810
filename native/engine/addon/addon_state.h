// Per-environment state of the addon (Node-API instance data, no globals): the error
// factory the TypeScript layer registers, the live sandboxes to stop at teardown, and
// the NativeSandbox class.
#pragma once

#include <unordered_set>

#include "js_values.h"

namespace microscope {

class SandboxObject;

class AddonState {
 public:
  ErrorFactory errors;
  std::unordered_set<SandboxObject*> sandboxes;
  Napi::FunctionReference sandbox_class;  // NativeSandbox, to tell its objects from others
};

}  // namespace microscope
