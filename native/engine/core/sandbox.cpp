#include "sandbox.h"

#include <sys/random.h>

#include <cstddef>
#include <cstring>

#include "backend_choice.h"
#include "clock.h"
#include "errors.h"
#include "frame.h"
#include "instructions.h"

namespace microscope {

namespace {

uint64_t random_seed() {
  uint64_t seed = 0;
  if (getrandom(&seed, sizeof seed, 0) != sizeof seed) seed = uint64_t(monotonic_ns());
  return seed;
}

}  // namespace

Sandbox::Sandbox(std::shared_ptr<const ElfImage> image, const SandboxOptions& options, HostFunctions* host)
    : image_(std::move(image)),
      options_(options),
      host_(host),
      layout_(plan_layout(*image_, options.layout)),
      memory_(layout_.memory_size) {
  BackendChoice choice = choose_backend(options.backend);
  build_guest_memory(memory_, layout_, *image_, options.seed ? options.seed : random_seed(), choice.nx);
  backend_ = choice.create(memory_, layout_);
  backend_reason_ = choice.reason;
  snapshots_ = std::make_unique<Snapshots>(memory_, *backend_);
  control_.interrupt = [this] { interrupt(); };
  control_.yield = [this] { backend_->request_yield(); };
  Watchdog::instance().watch(&control_);
}

Sandbox::~Sandbox() {
  profile(nullptr);
  Watchdog::instance().forget(&control_);
}

void Sandbox::profile(CpuProfiler* profiler) {
  if (profiler == profiler_) return;
  if (profiler_) profiler_->detach(*this);
  profiler_ = nullptr;
  if (profiler) profiler->attach(*this);
  profiler_ = profiler;
}

bool Sandbox::request_sample() {
  if (!control_.running.load(std::memory_order_acquire)) return false;
  backend_->request_yield();
  return true;
}

void Sandbox::use_emulated_twin(bool on) {
  if (control_.running.load()) throw usage_error("the sandbox's backend can't change while it runs");
  if (on) {
    if (!twin_) twin_ = std::make_unique<EmulatedTwin>(memory_, layout_);
    twin_->enter(backend_, *snapshots_);
  } else if (twin_) {
    twin_->leave(backend_, *snapshots_);
  }
}

int Sandbox::find_function(const std::string& name) const {
  const auto& exports = image_->exports();
  for (size_t i = 0; i < exports.size(); ++i) {
    if (exports[i].name == name) return int(i);
  }
  return -1;
}

const Symbol* Sandbox::function_at(uint64_t address) const {
  const Symbol* best = nullptr;
  for (const Symbol& symbol : image_->symbols()) {
    const uint64_t start = symbol.address + layout_.load_bias;
    if (start > address) break;
    if (symbol.function && (address < start + symbol.size || (symbol.size == 0 && !best))) best = &symbol;
  }
  return best;
}

bool Sandbox::find_symbol(const std::string& name, uint64_t* address) const {
  for (const Symbol& symbol : image_->symbols()) {
    if (symbol.name == name) {
      *address = symbol.address + layout_.load_bias;
      return true;
    }
  }
  return false;
}

std::string Sandbox::symbolize(uint64_t address) const {
  if (const Symbol* function = function_at(address)) {
    const uint64_t offset = address - (function->address + layout_.load_bias);
    return offset ? function->name + "+" + hex(offset) : function->name;
  }
  const Region* region = layout_.region_at(address);
  return region ? "[" + region->name + "]" : "[outside guest memory]";
}

void Sandbox::begin(const EntryRegisters& entry, int64_t timeout_ns) {
  backend_->set_entry(entry);
  outcome_.reset();
  outcome_set_ = false;
  pending_host_call_ = nullptr;
  control_.stop_reasons.store(0);
  timeout_ns_ = timeout_ns;
  control_.deadline_ns.store(timeout_ns > 0 ? monotonic_ns() + timeout_ns : 0, std::memory_order_relaxed);
  phase_ = Phase::Running;
  if (profiler_ && !is_init_) profiler_->call_began(*this);
}

void Sandbox::begin_init() {
  if (busy()) throw EngineError(ErrorKind::Busy, "the sandbox is running a call");
  if (initialized_) throw usage_error("the guest's init has already run");
  started_ns_ = monotonic_ns();
  run_started_ns_ = started_ns_;
  is_init_ = true;
  returns_ = Type::Void;
  const uint64_t entry = image_->entry() + layout_.load_bias;
  EntryRegisters registers;
  registers.rip = entry;
  registers.rsp = layout_.stack_top - 8;
  registers.integer_count = 1;
  registers.integers[0] = MS_CONTROL_BLOCK_ADDRESS;
  begin(registers, options_.timeout_ns);
}

void Sandbox::begin_call(size_t function, const std::vector<Value>& args, const CallOptions& options) {
  if (busy()) throw EngineError(ErrorKind::Busy, "the sandbox is running a call");
  if (!initialized_) throw usage_error("the sandbox is not initialised: its guest's init did not complete");
  const auto& exports = image_->exports();
  if (function >= exports.size()) throw usage_error("no function number " + std::to_string(function));
  const Signature& signature = exports[function];
  if (args.size() != signature.params.size()) {
    throw usage_error(signature.name + " takes " + std::to_string(signature.params.size()) + " arguments, got " +
                      std::to_string(args.size()));
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].type != signature.params[i]) {
      throw usage_error(signature.name + ": argument " + std::to_string(i + 1) + " must be " +
                        type_name(signature.params[i]) + ", got " + type_name(args[i].type));
    }
  }
  started_ns_ = monotonic_ns();
  EntryRegisters& entry = call_entry_;
  entry = EntryRegisters{};
  entry.rsp = layout_.stack_top - 8;
  if (entries_[function].in_registers) {
    // Scalars only: straight into the function, arguments in registers, like a C call.
    entry.rip = entries_[function].function;
    for (const Value& arg : args) {
      if (arg.type == Type::F64)
        entry.floats[entry.float_count++] = arg.f64;
      else
        entry.integers[entry.integer_count++] = arg.u64;
    }
  } else {
    // The input buffer is transport, not state: host writes to it are not tracked.
    std::string error;
    uint8_t* input = memory_.host() + layout_.input_buffer;
    if (!encode_call(input, layout_.io_buffer_size, image_->export_record(function), args, &error)) {
      framed_call_ = -1;
      throw usage_error(signature.name + ": " + error);
    }
    entry.rip = entries_[function].thunk;
    entry.integer_count = 2;
    entry.integers[0] = layout_.input_buffer;
    entry.integers[1] = MS_CONTROL_BLOCK_ADDRESS;
  }
  framed_call_ = int64_t(function);
  start_call(function, options);
}

void Sandbox::begin_call_again(const CallOptions& options) {
  if (busy()) throw EngineError(ErrorKind::Busy, "the sandbox is running a call");
  if (framed_call_ < 0) throw usage_error("there is no call to repeat");  // its registers are in call_entry_
  started_ns_ = monotonic_ns();
  start_call(size_t(framed_call_), options);
}

void Sandbox::start_call(size_t function, const CallOptions& options) {
  run_started_ns_ = started_ns_;
  size_t restored_pages = 0;
  if (options.restore) {
    restored_pages = snapshots_->restore_base();
    run_started_ns_ = monotonic_ns();
  }
  const Signature& signature = image_->exports()[function];
  if (signature.returns == Type::Str || signature.returns == Type::Bytes) {
    // A RESULT frame left from an earlier call must not pass for this one's.
    std::memset(memory_.host() + layout_.output_buffer, 0, MS_FRAME_HEADER_SIZE);
  }
  // The return address of every entry is the halt stub; the guest may have overwritten
  // it. The value equals the snapshot's, so the write needs no tracking.
  const uint64_t halt = MS_HALT_ADDRESS;
  std::memcpy(memory_.host() + layout_.stack_top - 8, &halt, 8);

  is_init_ = false;
  returns_ = signature.returns;
  const int64_t timeout = options.timeout_ns >= 0 ? options.timeout_ns : options_.timeout_ns;
  begin(call_entry_, timeout);
  outcome_.timings.restore_ns = run_started_ns_ - started_ns_;
  outcome_.timings.restored_pages = restored_pages;
}

Sandbox::Step Sandbox::run(bool may_block, int64_t slice_ns) {
  if (phase_ != Phase::Running) throw usage_error("no call is running");
  may_block_ = may_block;
  control_.slice_end_ns.store(slice_ns > 0 ? monotonic_ns() + slice_ns : 0, std::memory_order_relaxed);
  // The watchdog must see this run only if it has a deadline or a slice; a cancel wakes
  // the watchdog itself. Skipping the handshake saves two fences per call.
  const bool watched = slice_ns > 0 || control_.deadline_ns.load(std::memory_order_relaxed);
  while (!(control_.stop_reasons.load(std::memory_order_relaxed) & (kStopCancel | kStopTimeout))) {
    if (control_.stop_reasons.load(std::memory_order_relaxed) & kStopPause) return paused(ExitKind::Yielded);
    const int64_t host_before = outcome_.timings.host_ns;
    // A call's first run is timed from the end of its restore (one clock read less).
    const int64_t start = run_started_ns_ ? run_started_ns_ : monotonic_ns();
    run_started_ns_ = 0;
    if (watched) {
      control_.running.store(true);
      Watchdog::instance().run_started();
    } else {
      control_.running.store(true, std::memory_order_release);
    }
    const RunExit exit = backend_->run(*this);
    control_.running.store(false, std::memory_order_release);
    ended_ns_ = monotonic_ns();
    if (observer_) observe_exit(exit.kind);
    outcome_.timings.run_ns += ended_ns_ - start - (outcome_.timings.host_ns - host_before);

    if (outcome_set_) break;  // an I/O handler decided the outcome (abort, host error, ...)
    if (exit.kind == ExitKind::Yielded) {
      if (control_.stop_reasons.load() & kStopPause) return paused(ExitKind::Yielded);
      if (!may_block_ && (pending_host_call_ || (control_.stop_reasons.load() & kStopSlice))) {
        control_.stop_reasons.fetch_and(~kStopSlice);
        control_.slice_end_ns.store(0, std::memory_order_relaxed);
        return Step::Suspended;
      }
      if (profiler_) profiler_->sample(*this);
      continue;  // a sample's, or a yield meant for an earlier run: go on
    }
    switch (exit.kind) {
      case ExitKind::Halted: on_halt(); break;
      case ExitKind::Fault:
        outcome_.kind = OutcomeKind::Faulted;
        outcome_.fault = backend_->fault();
        if (outcome_.fault.rip_after) {
          // KVM completed the write before it exited: name the instruction that made it.
          const Symbol* function = function_at(outcome_.fault.rip - 1);
          const uint64_t at =
              function ? instruction_ending_at(memory_, function->address + layout_.load_bias, outcome_.fault.rip) : 0;
          if (at) outcome_.fault.rip = at;
          outcome_.fault.rip_after = false;
        }
        outcome_set_ = true;
        break;
      case ExitKind::Error: end_with_fault(kVectorTripleFault, backend_->error()); break;
      case ExitKind::Stopped:
        // Never continued: the state is good only for restoring. Without a reason it is
        // a cancel that came late.
        if (!(control_.stop_reasons.load() & (kStopCancel | kStopTimeout))) control_.stop_reasons.fetch_or(kStopCancel);
        break;
      case ExitKind::Yielded: break;
      case ExitKind::Stepped:
      case ExitKind::Breakpoint:
      case ExitKind::Watched:
      case ExitKind::Positioned: return paused(exit.kind);
    }
    break;
  }
  control_.slice_end_ns.store(0, std::memory_order_relaxed);
  if (!outcome_set_) {
    const int reasons = control_.stop_reasons.load();
    outcome_.kind = OutcomeKind::Cancelled;
    outcome_.cancel_reason =
        (reasons & kStopTimeout) && !(reasons & kStopCancel) ? CancelReason::Timeout : CancelReason::Request;
    outcome_.message = outcome_.cancel_reason == CancelReason::Request
                           ? "cancelled"
                           : "timed out after " + std::to_string(timeout_ns_ / 1'000'000) + " ms";
    outcome_set_ = true;
  }
  phase_ = Phase::Finished;
  return Step::Finished;
}

void Sandbox::observe_exit(ExitKind kind) {
  const char* reason = nullptr;
  switch (kind) {
    case ExitKind::Halted: reason = "hlt"; break;
    case ExitKind::Fault: reason = "fault"; break;
    case ExitKind::Stopped: reason = "stop"; break;
    case ExitKind::Yielded: reason = "yield"; break;
    case ExitKind::Error: reason = "error"; break;
    case ExitKind::Stepped:
    case ExitKind::Breakpoint:
    case ExitKind::Watched:
    case ExitKind::Positioned: return;  // the debugger's own, not the guest's
  }
  observer_->on_exit(reason, ended_ns_);
}

Sandbox::Step Sandbox::paused(ExitKind why) {
  control_.stop_reasons.fetch_and(~(kStopPause | kStopSlice));
  control_.slice_end_ns.store(0, std::memory_order_relaxed);
  paused_by_ = why;
  return Step::Paused;
}

void Sandbox::pause() {
  control_.stop_reasons.fetch_or(kStopPause);
  if (control_.running.load()) backend_->request_yield();
  Watchdog::instance().run_started();  // so the yield is repeated until it lands
}

void Sandbox::clear_pause() { control_.stop_reasons.fetch_and(~kStopPause); }

void Sandbox::end_paused_call(const std::string& message) {
  if (phase_ != Phase::Running) throw usage_error("no call is paused");
  outcome_.kind = OutcomeKind::Cancelled;
  outcome_.cancel_reason = CancelReason::Request;
  outcome_.message = message;
  outcome_set_ = true;
  ended_ns_ = monotonic_ns();
  phase_ = Phase::Finished;
}

void Sandbox::fail_paused_call(const Fault& fault) {
  if (phase_ != Phase::Running) throw usage_error("no call is paused");
  outcome_.kind = OutcomeKind::Faulted;
  outcome_.fault = fault;
  outcome_set_ = true;
  ended_ns_ = monotonic_ns();
  phase_ = Phase::Finished;
}

void Sandbox::rewind_call(size_t output_length) {
  if (phase_ == Phase::Idle) throw usage_error("no call to rewind");
  std::string output = std::move(outcome_.output);
  output.resize(std::min(output.size(), output_length));
  outcome_.reset();
  outcome_.output = std::move(output);
  outcome_set_ = false;
  pending_host_call_ = nullptr;
  control_.stop_reasons.store(0);
  phase_ = Phase::Running;
}

void Sandbox::on_halt() {
  outcome_set_ = true;
  uint64_t rax = 0;
  double xmm0 = 0;
  backend_->read_result(&rax, returns_ == Type::F64 ? &xmm0 : nullptr);
  Value& value = outcome_.value;
  outcome_.kind = OutcomeKind::Returned;
  switch (returns_) {
    case Type::Void: value = Value(); break;
    case Type::I32: value = Value::of_i32(int32_t(uint32_t(rax))); break;
    case Type::U32: value = Value::of_u32(uint32_t(rax)); break;
    case Type::I64: value = Value::of_i64(int64_t(rax)); break;
    case Type::U64: value = Value::of_u64(rax); break;
    case Type::Bool: value = Value::of_bool((rax & 0xff) != 0); break;
    case Type::F64: value = Value::of_f64(xmm0); break;
    case Type::Str:
    case Type::Bytes: {
      const std::string error =
          decode_result(memory_.host() + layout_.output_buffer, layout_.io_buffer_size, returns_, &value);
      if (!error.empty()) end_with_fault(kVectorBadFrame, error);
      break;
    }
  }
}

const CallOutcome& Sandbox::finish() {
  if (phase_ != Phase::Finished) throw usage_error("the call has not finished");
  phase_ = Phase::Idle;
  CallOutcome& outcome = outcome_;
  if (outcome.kind == OutcomeKind::Faulted) {
    outcome.fault_symbol = outcome.fault.rip_known ? symbolize(outcome.fault.rip) : "";
    if (outcome.message.empty()) outcome.message = describe_fault(outcome.fault, outcome.fault_symbol);
  }
  if (is_init_) {
    if (outcome.kind == OutcomeKind::Returned) {
      const std::string error = read_call_entries();
      if (!error.empty()) {
        outcome.kind = OutcomeKind::Faulted;
        outcome.fault.vector = kVectorBadFrame;
        outcome.message = error;
      } else {
        initialized_ = true;
        snapshots_->take();
      }
    }
  } else if (outcome.kind != OutcomeKind::Returned) {
    // The guest stopped part-way: put it back as it was at the last snapshot.
    snapshots_->restore_base();
    ended_ns_ = monotonic_ns();
  }
  outcome.timings.total_ns = ended_ns_ - started_ns_;
  return outcome;
}

// Where calls start: each export record holds its function's and its thunk's address,
// relocated by now for a PIE. The guest could have changed them in its init; each must be
// code in the image.
std::string Sandbox::read_call_entries() {
  entries_.clear();
  for (size_t function = 0; function < image_->exports().size(); ++function) {
    const Signature& signature = image_->exports()[function];
    const uint64_t record =
        image_->exports_address() + layout_.load_bias + uint64_t(image_->export_record(function)) * MS_EXPORT_SIZE;
    // Reads one address field of the record and checks it is code in the image.
    auto code_at = [&](size_t offset, uint64_t* address) {
      const uint8_t* bytes = memory_.range(record + offset, 8);
      if (!bytes) return false;
      std::memcpy(address, bytes, 8);
      const Region* region = layout_.region_at(*address);
      return region && (region->access & kExecute) && *address >= layout_.image_begin;
    };
    CallEntry entry;
    if (!code_at(offsetof(ms_export, function), &entry.function)) {
      return "the export record of " + signature.name + " points its function at " + hex(entry.function) +
             ", which is not code in the guest's image";
    }
    if (!code_at(offsetof(ms_export, thunk), &entry.thunk)) {
      return "the export record of " + signature.name + " points its thunk at " + hex(entry.thunk) +
             ", which is not code in the guest's image";
    }
    int integers = 0, floats = 0;
    bool scalars = true;
    for (Type type : signature.params) {
      if (type == Type::Str || type == Type::Bytes)
        scalars = false;
      else if (type == Type::F64)
        ++floats;
      else
        ++integers;
    }
    // A str or bytes result needs the thunk too: it writes the RESULT frame.
    const bool scalar_result = signature.returns != Type::Str && signature.returns != Type::Bytes;
    entry.in_registers = scalars && scalar_result && integers <= 6 && floats <= 8;
    entries_.push_back(entry);
  }
  return "";
}

void Sandbox::cancel() {
  control_.stop_reasons.fetch_or(kStopCancel);
  if (control_.running.load()) interrupt();
  Watchdog::instance().run_started();  // so the stop is repeated until it lands
}

void Sandbox::interrupt() {
  // A recorded call stops where it can be told exactly (a yield, at a block's start): the
  // point of the cancellation is part of the recording, and a replay ends there too.
  if (recorder_)
    backend_->request_yield();
  else
    backend_->request_stop();
  if (host_) host_->interrupt();
}

CallOutcome Sandbox::init() {
  begin_init();
  run(true, 0);
  return finish();
}

CallOutcome Sandbox::call(size_t function, const std::vector<Value>& args, const CallOptions& options) {
  begin_call(function, args, options);
  run(true, 0);
  return finish();
}

}  // namespace microscope
