// NativeDebugger's view of a paused guest's C: its frames with their arguments, each
// frame's scopes and variables, C
// expressions evaluated in a frame, a value's children, and setting a variable
// (core/debug/frame_variables.h, c_expression.h, variable_text.h). Listed with the rest
// of NativeDebugger's operations in debugger_object.cpp.
#pragma once

#include <napi.h>

namespace microscope {

class DebuggerObject;

namespace variables_op {

// scopes(frame: number): { function, arguments: Variable[], locals: Variable[], globals: Variable[] }
Napi::Value scopes(DebuggerObject& self, const Napi::CallbackInfo& info);
// evaluate(expression: string, frame: number): Variable
Napi::Value evaluate(DebuggerObject& self, const Napi::CallbackInfo& info);
// children(expression: string, frame: number, start: number, count: number): Variable[]
Napi::Value children(DebuggerObject& self, const Napi::CallbackInfo& info);
// setVariable(expression: string, value: string, frame: number): Variable, its new value
Napi::Value set_variable(DebuggerObject& self, const Napi::CallbackInfo& info);
// backtrace(): [{ rip, rsp, symbol, file?, line?, function?, args: { name, value }[] }],
// the running frame first
Napi::Value backtrace(DebuggerObject& self, const Napi::CallbackInfo& info);

}  // namespace variables_op
}  // namespace microscope
