// The floors of the benchmark's JS cases: Node-API calls with no engine behind them.
#pragma once

#include <napi.h>

namespace microscope {

// { resolved(a, b): Promise<bigint>, callback(fn, count): bigint }
Napi::Object bench_floors(Napi::Env env);

}  // namespace microscope
