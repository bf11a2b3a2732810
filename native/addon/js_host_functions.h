// Host functions written in JS. The guest's vCPU thread waits while a JS function runs on
// the JS thread: directly, when the JS thread is waiting in call() (a few hundred
// nanoseconds), or through the thread-safe function otherwise. A function may return a
// promise; the guest waits until it settles.
#pragma once

#include <napi.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "../core/host_functions.h"
#include "call_bridge.h"
#include "js_thread.h"

namespace microscope {

class JsHostFunctions : public HostFunctions {
 public:
  // `definitions`: [{ name, params: [type names], returns: type name, fn }]. Throws a
  // usage EngineError for a bad definition.
  JsHostFunctions(Napi::Array definitions, JsThread* js_thread, CallBridge* bridge);

  const Signature* find(const std::string& name) const override;
  HostReply call(const Signature& function, std::vector<Value>& args) override;
  void interrupt() override;

  // On the JS thread: runs function `index`. Returns false when it returned a promise,
  // whose outcome will reach the vCPU thread by itself.
  bool invoke(Napi::Env env, size_t index, const std::vector<Value>& args, uint64_t generation, HostReply* reply);

 private:
  // Where an answer that comes later arrives; shared with promise callbacks, which may
  // outlive the call (and the sandbox).
  struct Answer {
    std::mutex mutex;
    std::condition_variable ready_or_interrupted;
    uint64_t generation = 0;
    bool ready = false;
    bool interrupted = false;
    HostReply reply;
    uint64_t begin();
    void deliver(uint64_t for_generation, HostReply reply);
    HostReply wait();
  };

  struct Entry {
    Signature signature;
    Napi::FunctionReference function;
  };

  JsThread* js_thread_;
  CallBridge* bridge_;
  std::vector<Entry> entries_;
  std::shared_ptr<Answer> answer_ = std::make_shared<Answer>();
};

}  // namespace microscope
