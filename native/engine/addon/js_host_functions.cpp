#include "js_host_functions.h"

#include "../core/builtin_functions.h"
#include "../core/errors.h"
#include "js_values.h"

namespace microscope {

namespace {

HostReply failed(std::string message) {
  HostReply reply;
  reply.status = HostReply::Failed;
  reply.error = std::move(message);
  return reply;
}

std::string message_of(const Napi::Value& error) {
  if (error.IsObject()) {
    Napi::Value message = error.As<Napi::Object>().Get("message");
    if (message.IsString()) return message.As<Napi::String>().Utf8Value();
  }
  return error.ToString().Utf8Value();
}

HostReply convert_result(const Napi::Value& result, const Signature& function) {
  HostReply reply;
  if (function.returns == Type::Void) return reply;
  std::string error;
  if (!to_engine_value(result, function.returns, &reply.value, &error)) {
    return failed("host function '" + function.name + "' returned a value that " + error);
  }
  return reply;
}

}  // namespace

uint64_t JsHostFunctions::Answer::begin() {
  std::lock_guard<std::mutex> lock(mutex);
  ready = false;
  interrupted = false;
  return ++generation;
}

void JsHostFunctions::Answer::deliver(uint64_t for_generation, HostReply answer) {
  std::lock_guard<std::mutex> lock(mutex);
  if (for_generation != generation) return;  // for a call that was given up on
  reply = std::move(answer);
  ready = true;
  ready_or_interrupted.notify_all();
}

HostReply JsHostFunctions::Answer::wait() {
  std::unique_lock<std::mutex> lock(mutex);
  ready_or_interrupted.wait(lock, [this] { return ready || interrupted; });
  if (ready) {
    ready = false;
    return std::move(reply);
  }
  interrupted = false;
  generation++;  // the answer, if it ever comes, is for nobody
  HostReply result;
  result.status = HostReply::Interrupted;
  return result;
}

JsHostFunctions::JsHostFunctions(Napi::Env env, Napi::Array definitions, JsThread* js_thread, CallBridge* bridge,
                                 std::function<void(Napi::Env)> served_later)
    : env_(env), js_thread_(js_thread), bridge_(bridge), served_later_(std::move(served_later)) {
  for (uint32_t i = 0; i < definitions.Length(); ++i) {
    Napi::Value item = definitions.Get(i);
    if (!item.IsObject()) throw usage_error("host function " + std::to_string(i) + " is not an object");
    Napi::Object definition = item.As<Napi::Object>();
    Entry entry;
    Napi::Value name = definition.Get("name");
    if (!name.IsString() || name.As<Napi::String>().Utf8Value().empty()) {
      throw usage_error("host function " + std::to_string(i) + " needs a name");
    }
    entry.signature.name = name.As<Napi::String>().Utf8Value();
    const std::string& fname = entry.signature.name;
    if (find_builtin(fname)) throw usage_error("'" + fname + "' is built in; give the host function another name");
    if (find(fname)) throw usage_error("host function '" + fname + "' is defined twice");
    Napi::Value returns = definition.Get("returns");
    const std::string returns_name = returns.IsString() ? returns.As<Napi::String>().Utf8Value() : "void";
    if (!parse_type(returns_name, &entry.signature.returns)) {
      throw usage_error("host function '" + fname + "': unknown return type '" + returns_name + "'");
    }
    Napi::Value params = definition.Get("params");
    if (params.IsArray()) {
      Napi::Array list = params.As<Napi::Array>();
      if (list.Length() > MS_MAX_PARAMS) throw usage_error("host function '" + fname + "' has more than 16 parameters");
      for (uint32_t p = 0; p < list.Length(); ++p) {
        const std::string type_text = list.Get(p).ToString().Utf8Value();
        Type type;
        if (!parse_type(type_text, &type) || type == Type::Void) {
          throw usage_error("host function '" + fname + "': parameter " + std::to_string(p + 1) +
                            " has unknown type '" + type_text + "'");
        }
        entry.signature.params.push_back(type);
      }
    } else if (!params.IsUndefined()) {
      throw usage_error("host function '" + fname + "': params must be an array of type names");
    }
    Napi::Value fn = definition.Get("fn");
    if (!fn.IsFunction()) throw usage_error("host function '" + fname + "' has no fn");
    entry.function = Napi::Persistent(fn.As<Napi::Function>());
    entries_.push_back(std::move(entry));
  }
}

const Signature* JsHostFunctions::find(const std::string& name) const {
  for (const Entry& entry : entries_) {
    if (entry.signature.name == name) return &entry.signature;
  }
  return nullptr;
}

bool JsHostFunctions::invoke(Napi::Env env, size_t index, const std::vector<Value>& args, uint64_t generation,
                             HostReply* reply) {
  const Entry& entry = entries_[index];
  Napi::HandleScope scope(env);
  try {
    std::vector<napi_value> js_args;
    js_args.reserve(args.size());
    for (const Value& arg : args) js_args.push_back(to_js(env, arg));
    Napi::Value result = entry.function.Call(env.Undefined(), js_args);
    if (!result.IsPromise()) {
      *reply = convert_result(result, entry.signature);
      return true;
    }
    std::shared_ptr<Answer> answer = answer_;
    const Signature signature = entry.signature;
    Napi::Function on_value = Napi::Function::New(env, [answer, generation, signature](const Napi::CallbackInfo& info) {
      answer->deliver(generation, convert_result(info[0], signature));
    });
    Napi::Function on_error = Napi::Function::New(env, [answer, generation, signature](const Napi::CallbackInfo& info) {
      answer->deliver(generation, failed("host function '" + signature.name + "' failed: " + message_of(info[0])));
    });
    result.As<Napi::Object>().Get("then").As<Napi::Function>().Call(result, {on_value, on_error});
    return false;
  } catch (const Napi::Error& error) {
    *reply = failed("host function '" + entry.signature.name + "' threw: " + message_of(error.Value()));
  } catch (const std::exception& error) {
    *reply = failed("host function '" + entry.signature.name + "' failed: " + error.what());
  }
  return true;
}

HostReply JsHostFunctions::call(const Signature& function, std::vector<Value>& args, bool may_defer) {
  size_t index = 0;
  while (index < entries_.size() && &entries_[index].signature != &function) ++index;
  if (index == entries_.size()) return failed("host function '" + function.name + "' is not defined in JS");
  const uint64_t generation = answer_->begin();

  if (may_defer) {  // the guest runs on the JS thread itself
    HostReply reply;
    if (!invoke(env_, index, args, generation, &reply)) reply.status = HostReply::Pending;
    return reply;
  }

  // The JS thread waits in call(): hand it the request directly.
  bridge_->index = index;
  bridge_->args = &args;
  bridge_->generation = generation;
  if (bridge_->change(CallBridge::Waiting, CallBridge::HostRequest)) {
    for (uint64_t turn = 0;; ++turn) {
      const int phase = bridge_->get();
      if (phase == CallBridge::HostReplied) {
        HostReply reply = std::move(bridge_->reply);
        bridge_->set(CallBridge::Waiting);
        return reply;
      }
      if (phase == CallBridge::Detached) return answer_->wait();  // it returned a promise
      bridge_->wait(phase, turn);
    }
  }

  // Otherwise through the event loop.
  std::vector<Value> copy = args;
  js_thread_->post([this, index, copy = std::move(copy), generation](Napi::Env env) {
    HostReply reply;
    if (invoke(env, index, copy, generation, &reply)) {
      answer_->deliver(generation, std::move(reply));
      served_later_(env);
    }
  });
  return answer_->wait();
}

HostReply JsHostFunctions::wait_pending() { return answer_->wait(); }

void JsHostFunctions::interrupt() {
  std::lock_guard<std::mutex> lock(answer_->mutex);
  answer_->interrupted = true;
  answer_->ready_or_interrupted.notify_all();
}

}  // namespace microscope
