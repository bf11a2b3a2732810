// What a sandbox reports, as JS values: its layout, where snapshots differ, a call's trace.
#pragma once

#include <napi.h>

#include <vector>

#include "../core/debug/call_trace.h"
#include "../core/layout.h"
#include "../core/snapshots.h"
#include "js_values.h"

namespace microscope {

// { memorySize, loadBias, inputBuffer, outputBuffer, ioBufferSize, heapBegin, heapEnd,
//   stackBase, stackTop, regions: [{ name, begin, end, access: "r-x" }] }
Napi::Object layout_to_js(Napi::Env env, const Layout& layout);
// [{ page, ranges: [{ address, length }] }], addresses in guest memory.
Napi::Array differences_to_js(Napi::Env env, const std::vector<PageDifference>& differences);
// { events, truncated, durationNs, backend, value? | error, output }. Each event: { kind:
// 'function' | 'host' | 'exit', name, depth, startNs, durationNs, address? (function),
// args?, result?, error? (host) }.
// `arguments`: each of trace.entry_arguments as text (debug/entry_arguments.h).
Napi::Object trace_to_js(Napi::Env env, const CallTrace& trace, const std::vector<std::string>& arguments,
                         const ElfImage& image, uint64_t load_bias, const char* backend, ErrorFactory& errors);

}  // namespace microscope
