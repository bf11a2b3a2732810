// The host side of guest -> host calls. The Node addon implements it with JS callbacks;
// C++ programs (tests, the conformance suite) implement it directly.
#pragma once

#include <string>
#include <vector>

#include "value.h"

namespace microscope {

struct HostReply {
  enum Status {
    Done,         // `value` is the result (of the signature's return type)
    Pending,      // the answer comes from wait_pending(); only when call() may defer
    Failed,       // `error` says why; the call ends with a host error
    Interrupted,  // interrupt() was called: the call is being cancelled
  };
  Status status = Done;
  Value value;
  std::string error;
};

class HostFunctions {
 public:
  virtual ~HostFunctions() = default;

  virtual const Signature* find(const std::string& name) const = 0;

  // On the thread running the guest; the arguments match the signature. With
  // `may_defer` (a thread that must not block, such as the JS thread) a function that
  // can't answer at once returns Pending; otherwise the call waits for the answer.
  virtual HostReply call(const Signature& function, std::vector<Value>& args, bool may_defer) = 0;
  // On a thread that may block: the answer to the call that returned Pending.
  virtual HostReply wait_pending() = 0;
  // From any thread: make a call() or wait_pending() under way return Interrupted soon.
  virtual void interrupt() = 0;
};

}  // namespace microscope
