// Host functions written in JS. When the guest runs on the JS thread they are called
// right there; a promise they return sends the guest to its vCPU thread to wait. When the
// guest runs on its vCPU thread, that thread waits while the function runs on the JS
// thread: handed over directly if the JS thread waits for the call (a few hundred
// nanoseconds), through the thread-safe function otherwise.
#pragma once

#include <napi.h>

#include <condition_variable>
#include <functional>
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
  // `served_later` runs on the JS thread after a call that came through the event loop.
  JsHostFunctions(Napi::Env env, Napi::Array definitions, JsThread* js_thread, CallBridge* bridge,
                  std::function<void(Napi::Env)> served_later);

  const Signature* find(const std::string& name) const override;
  HostReply call(const Signature& function, std::vector<Value>& args, bool may_defer) override;
  HostReply wait_pending() override;
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

  Napi::Env env_;  // used only on the JS thread
  JsThread* js_thread_;
  CallBridge* bridge_;
  std::function<void(Napi::Env)> served_later_;
  std::vector<Entry> entries_;
  std::shared_ptr<Answer> answer_ = std::make_shared<Answer>();
};

}  // namespace microscope
