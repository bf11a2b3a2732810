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
    Pending,      // the result will come from wait(); only when call() was allowed to defer
    Failed,       // `error` says why; the call ends with a host error
    Interrupted,  // interrupt() was called; the call is being cancelled
  };
  Status status = Done;
  Value value;
  std::string error;
};

class HostFunctions {
 public:
  virtual ~HostFunctions() = default;

  virtual const Signature* find(const std::string& name) const = 0;

  // On the thread running the guest; the arguments match the signature. `may_defer`
  // is true on a thread that must not block (the JS thread): a function that can't
  // answer at once then returns Pending.
  virtual HostReply call(const Signature& function, std::vector<Value>& args, bool may_defer) = 0;
  // Blocks until the Pending call's reply, or until interrupt().
  virtual HostReply wait() = 0;
  // From any thread: make a blocked call() or wait() return Interrupted.
  virtual void interrupt() = 0;
};

}  // namespace microscope
