// The vCPU's registers as JS sees them: 64-bit values as bigints, selectors and limits as
// numbers, segments and descriptor tables as small objects.
#pragma once

#include <napi.h>

#include "../core/backend.h"

namespace microscope {

Napi::Object registers_to_js(Napi::Env env, const Registers& registers, const SpecialRegisters& special);
// Applies the fields `changes` has; throws a usage EngineError naming a bad one.
void apply_register_changes(const Napi::Value& changes, Registers* registers, SpecialRegisters* special);

}  // namespace microscope
