// Getting work onto the JS thread from other threads, and keeping the process alive while
// a call is under way: one thread-safe function per sandbox, referenced only while busy.
#pragma once

#include <napi.h>

#include <functional>

namespace microscope {

class JsThread {
 public:
  explicit JsThread(Napi::Env env);
  ~JsThread();

  // Any thread. The job runs on the JS thread with a HandleScope open; it is dropped if
  // the environment is shutting down.
  void post(std::function<void(Napi::Env)> job);
  // JS thread only: whether pending work keeps the event loop (and the process) alive.
  void keep_alive(Napi::Env env, bool alive);

 private:
  Napi::ThreadSafeFunction function_;
  bool referenced_ = false;
};

}  // namespace microscope
