// How a call under way and the JS thread that started it meet. The JS thread waits in
// call() for up to a millisecond; meanwhile the vCPU thread hands it host calls directly
// and tells it the call is done, all through `phase`. Once the JS thread has gone back
// to its event loop ("detached"), host calls and completion go through the sandbox's
// thread-safe function instead (JsThread).
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "../core/host_functions.h"

namespace microscope {

struct CallBridge {
  enum Phase : int {
    Detached,     // no JS thread waits: use the thread-safe function
    Waiting,      // the JS thread waits in call() for this call
    HostRequest,  // the vCPU thread asks the waiting JS thread to run host function `index`
    HostReplied,  // the JS thread has put the answer in `reply`
    Done,         // the call finished while the JS thread waited
  };
  std::atomic<int> phase{Detached};

  // The host call in HostRequest; written before the phase changes (release/acquire).
  size_t index = 0;
  const std::vector<Value>* args = nullptr;
  uint64_t generation = 0;
  HostReply reply;
};

}  // namespace microscope
