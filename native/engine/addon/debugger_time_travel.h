// NativeDebugger's questions of a recorded call (core/debug/recording.h): what the
// recording holds, for the timeline, and the last write of a range. Going back itself
// (reverse, goTo) is a step like the forward ones, in debugger_object.cpp.
#pragma once

#include <napi.h>

namespace microscope {

class DebuggerObject;

namespace time_travel_op {

// lastWrite(address: bigint, length: number): Promise<{ found, position?, instruction?,
// instructionSymbol?, file?, line?, oldValue?, newValue? }>
Napi::Value last_write(DebuggerObject& self, const Napi::CallbackInfo& info);
// lastRegisterWrite(name: string): the same, of a register ("rax", "xmm0", "rflags"),
// its values 8 bytes (16 for XMM)
Napi::Value last_register_write(DebuggerObject& self, const Napi::CallbackInfo& info);
// recording(): { start, end, position, ended, dropped, bytes, sizeLimit, checkpoints,
// checkpointInterval, events: { kind, position, id?, function? }[] } or null
Napi::Value recording(DebuggerObject& self, const Napi::CallbackInfo& info);

}  // namespace time_travel_op
}  // namespace microscope
