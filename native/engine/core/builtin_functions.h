// The host functions every guest has, served by the engine itself, whatever the host
// defines: print (a str to the call's output: the SDK's ms_print), output (bytes to the
// call's output: the C library's stdout and stderr), clock (nanoseconds, real time or
// monotonic) and random (bytes). The clock and random bytes come from the host, through a
// host call like any other, so that a record of a call (a trace) holds them too.
#pragma once

#include <string>
#include <vector>

#include "host_functions.h"
#include "value.h"

namespace microscope {

// The built-in of that name, or null.
const Signature* find_builtin(const std::string& name);

// Whether the function writes to the call's output (print, output): the sandbox serves those.
bool writes_output(const Signature& builtin);

// clock(which: u32) -> i64 and random(length: u32) -> bytes, for arguments of their types.
HostReply serve_builtin(const Signature& builtin, const std::vector<Value>& args);

}  // namespace microscope
