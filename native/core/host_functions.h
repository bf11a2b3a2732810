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

  // On the thread running the guest, which waits for the answer however long it takes;
  // the arguments match the signature.
  virtual HostReply call(const Signature& function, std::vector<Value>& args) = 0;
  // From any thread: make a call() under way return Interrupted soon.
  virtual void interrupt() = 0;
};

}  // namespace microscope
