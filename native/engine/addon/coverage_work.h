// coverage(function, calls): which lines and instructions a list of calls ran
// (core/profile/coverage.h), each call's arguments an array in `calls`; the calls run one
// after another on the vCPU thread, and a failing call is reported, not the end.
#pragma once

#include <napi.h>

#include <memory>

#include "call_runner.h"

namespace microscope {

class SandboxObject;

class CoverageWork;

// The work, made on first use and reused.
struct CoverageWorkHolder {
  CoverageWorkHolder();
  ~CoverageWorkHolder();
  std::unique_ptr<CoverageWork> work;
};

// coverage(function: number, calls: array of argument arrays): Promise<NativeCoverage>
Napi::Value start_coverage(SandboxObject& self, CoverageWorkHolder& holder, const Napi::CallbackInfo& info);

}  // namespace microscope
