// The guest's I/O, served while the guest waits in its `out`: host calls (the built-in
// print and the host's functions) and aborts. Everything read comes from the guest's
// output buffer and is checked before use (frame.cpp).
#include <algorithm>

#include "builtin_functions.h"
#include "clock.h"
#include "errors.h"
#include "frame.h"
#include "sandbox.h"

namespace microscope {

namespace {

std::string describe_args(const std::vector<Value>& args) {
  std::string text = "(";
  for (size_t i = 0; i < args.size(); ++i) text += (i ? ", " : "") + std::string(type_name(args[i].type));
  return text + ")";
}

}  // namespace

IoAction Sandbox::end_with(OutcomeKind kind, std::string message) {
  outcome_.kind = kind;
  outcome_.message = std::move(message);
  outcome_set_ = true;
  return {0, IoAction::Stop};
}

IoAction Sandbox::end_with_fault(int vector, std::string detail) {
  outcome_.kind = OutcomeKind::Faulted;
  outcome_.fault = Fault{};
  outcome_.fault.vector = vector;
  outcome_.fault.rip = backend_->registers().rip;
  outcome_.fault.detail = std::move(detail);
  outcome_set_ = true;
  return {0, IoAction::Stop};
}

IoAction Sandbox::on_out(uint16_t port, uint32_t /*value*/) {
  if (outcome_set_) return {0, IoAction::Stop};
  if (observer_) observer_->on_exit("out " + hex(port), monotonic_ns());
  switch (port) {
    case MS_PORT_HOST_CALL:
      // Called from inside the emulator: nothing may be thrown through it.
      try {
        return serve_host_call();
      } catch (const std::exception& error) {
        return end_with(OutcomeKind::HostError, std::string("the host failed serving the call: ") + error.what());
      }
    case MS_PORT_ABORT: {
      int32_t code = 0;
      std::string message;
      const std::string error =
          decode_abort(memory_.host() + layout_.output_buffer, layout_.io_buffer_size, &code, &message);
      if (!error.empty()) return end_with_fault(kVectorBadFrame, error);
      outcome_.abort_code = code;
      return end_with(OutcomeKind::Aborted, std::move(message));
    }
    default: return end_with_fault(kVectorBadPort, "out to port " + hex(port) + ", which the engine does not serve");
  }
}

IoAction Sandbox::on_in(uint16_t port) {
  return end_with_fault(kVectorBadPort, "in from port " + hex(port) + ", which the engine does not serve");
}

IoAction Sandbox::serve_host_call() {
  if (pending_host_call_) {
    // The guest executes its `out` again after a suspension: now the answer can be waited for.
    if (!may_block_) return {MS_HOST_CALL_AGAIN, IoAction::Yield};
    const Signature& function = *pending_host_call_;
    pending_host_call_ = nullptr;
    const int64_t start = monotonic_ns();
    const HostReply reply = host_->wait_pending();
    const int64_t end = monotonic_ns();
    outcome_.timings.host_ns += end - start;
    if (observer_) observer_->on_host_call(function.name, pending_host_args_, reply, pending_host_start_, end);
    return answer(function, reply);
  }

  HostCallRequest request;
  const std::string error = decode_host_call(memory_.host() + layout_.output_buffer, layout_.io_buffer_size, &request);
  if (!error.empty()) return end_with_fault(kVectorBadFrame, "host call: " + error);

  const Signature* builtin = find_builtin(request.name);
  const Signature* function = builtin ? builtin : host_ ? host_->find(request.name) : nullptr;
  outcome_.host_function = request.name;
  if (!function)
    return end_with(OutcomeKind::HostError, "the guest called an unknown host function '" + request.name + "'");
  bool matches = request.args.size() == function->params.size();
  for (size_t i = 0; matches && i < request.args.size(); ++i) matches = request.args[i].type == function->params[i];
  if (!matches) {
    return end_with(OutcomeKind::HostError,
                    "the guest called " + describe(*function) + " with " + describe_args(request.args));
  }

  if (builtin) {
    const int64_t start = monotonic_ns();
    HostReply reply;
    if (writes_output(*builtin)) {
      const std::string& text = request.args.back().data;  // print's str, output's bytes
      const size_t room = options_.output_limit - std::min(options_.output_limit, outcome_.output.size());
      if (text.size() > room) outcome_.output_truncated = true;
      outcome_.output.append(text, 0, std::min(room, text.size()));
    } else if (const HostReply* replayed =
                   recorder_ ? recorder_->replayed(builtin->name, backend_->position()) : nullptr) {
      reply = *replayed;  // the clock and random bytes the recording saw
    } else {
      reply = serve_builtin(*builtin, request.args);
      if (recorder_) recorder_->recorded(builtin->name, reply, backend_->position());
    }
    if (observer_) observer_->on_host_call(builtin->name, request.args, reply, start, monotonic_ns());
    return answer(*builtin, reply);
  }
  const int64_t start = monotonic_ns();
  if (recorder_) {
    const uint64_t position = backend_->position();
    const HostReply* replayed = recorder_->replayed(function->name, position);
    const HostReply reply = replayed ? *replayed : host_->call(*function, request.args, false);
    if (!replayed) recorder_->recorded(function->name, reply, position);
    if (observer_) observer_->on_host_call(function->name, request.args, reply, start, monotonic_ns());
    return answer(*function, reply);
  }
  const HostReply reply = host_->call(*function, request.args, !may_block_);
  const int64_t end = monotonic_ns();
  outcome_.timings.host_ns += end - start;
  if (reply.status == HostReply::Pending) {
    // Continue on a thread that can wait; the guest asks again there.
    pending_host_call_ = function;
    if (observer_) {
      pending_host_args_ = request.args;
      pending_host_start_ = start;
    }
    return {MS_HOST_CALL_AGAIN, IoAction::Yield};
  }
  if (observer_) observer_->on_host_call(function->name, request.args, reply, start, end);
  return answer(*function, reply);
}

IoAction Sandbox::answer(const Signature& function, const HostReply& reply) {
  switch (reply.status) {
    case HostReply::Interrupted: return {0, IoAction::Stop};  // the stop reason decides the outcome
    case HostReply::Failed: return end_with(OutcomeKind::HostError, reply.error);
    case HostReply::Pending: return end_with(OutcomeKind::HostError, function.name + " answered later twice");
    case HostReply::Done: break;
  }
  if (reply.value.type != function.returns) {
    return end_with(OutcomeKind::HostError, function.name + " returned a " + type_name(reply.value.type) + ", not a " +
                                                type_name(function.returns));
  }
  std::string too_large;
  if (!encode_host_result(memory_.host() + layout_.output_buffer, layout_.io_buffer_size, reply.value, &too_large)) {
    return end_with(OutcomeKind::HostError, function.name + ": " + too_large);
  }
  outcome_.host_function.clear();
  return {MS_HOST_CALL_DONE, IoAction::Continue};
}

}  // namespace microscope
