// The vCPU's registers as JS sees them: 64-bit values as bigints, selectors and limits as
// numbers, segments and descriptor tables as small objects, XMM registers as 128-bit
// bigints.
#pragma once

#include <napi.h>

#include "../core/backend.h"

namespace microscope {

// Every register a backend has, read and written together.
struct RegisterSet {
  Registers general;
  SpecialRegisters special;
  SseRegisters sse;

  static RegisterSet read(Backend& backend);
  void write(Backend& backend) const;
};

Napi::Object registers_to_js(Napi::Env env, const RegisterSet& registers);
// Applies the fields `changes` has; throws a usage EngineError naming a bad one.
void apply_register_changes(const Napi::Value& changes, RegisterSet* registers);

}  // namespace microscope
