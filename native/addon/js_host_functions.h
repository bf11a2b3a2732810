// Host functions written in JS. On the JS thread they run inline, inside the guest's
// host call; on a sandbox's vCPU thread the call is posted to the JS thread and the vCPU
// waits. A function that returns a promise makes the guest wait for it either way.
#pragma once

#include <napi.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "../core/host_functions.h"
#include "js_thread.h"

namespace microscope {

class JsHostFunctions : public HostFunctions {
 public:
  // `definitions`: [{ name, params: [type names], returns: type name, fn }]. Throws a
  // usage EngineError for a bad definition.
  JsHostFunctions(Napi::Env env, Napi::Array definitions, JsThread* js_thread);

  const Signature* find(const std::string& name) const override;
  HostReply call(const Signature& function, std::vector<Value>& args, bool may_defer) override;
  HostReply wait() override;
  void interrupt() override;

 private:
  // Where an answer arrives; shared with promise callbacks that may outlive a call.
  struct Answer {
    std::mutex mutex;
    std::condition_variable ready_or_interrupted;
    uint64_t generation = 0;
    bool ready = false;
    bool interrupted = false;
    HostReply reply;
    void deliver(uint64_t for_generation, HostReply reply);
  };

  struct Entry {
    Signature signature;
    Napi::FunctionReference function;
  };

  // On the JS thread: runs the function; Pending when it returned a promise.
  HostReply invoke(Napi::Env env, size_t index, const std::vector<Value>& args, uint64_t generation);

  Napi::Env env_;
  JsThread* js_thread_;
  std::vector<Entry> entries_;
  std::shared_ptr<Answer> answer_ = std::make_shared<Answer>();
};

}  // namespace microscope
