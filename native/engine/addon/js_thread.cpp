#include "js_thread.h"

namespace microscope {

namespace {
using Job = std::function<void(Napi::Env)>;
}

JsThread::JsThread(Napi::Env env) {
  function_ = Napi::ThreadSafeFunction::New(env, Napi::Function::New(env, [](const Napi::CallbackInfo&) {}),
                                            "microscope", 0, 1);
  function_.Unref(env);
}

JsThread::~JsThread() { function_.Release(); }

void JsThread::post(std::function<void(Napi::Env)> job) {
  auto* boxed = new Job(std::move(job));
  const napi_status status = function_.BlockingCall(boxed, [](Napi::Env env, Napi::Function, Job* job) {
    if (env) (*job)(env);
    delete job;
  });
  if (status != napi_ok) delete boxed;
}

void JsThread::keep_alive(Napi::Env env, bool alive) {
  if (alive == referenced_) return;
  referenced_ = alive;
  if (alive)
    function_.Ref(env);
  else
    function_.Unref(env);
}

}  // namespace microscope
