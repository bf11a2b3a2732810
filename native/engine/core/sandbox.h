// A sandbox: one micro-VM running one guest ELF. It lays out guest memory, runs the
// guest's init, keeps snapshots, and runs calls to the guest's exported functions,
// serving the guest's host calls, until each ends in exactly one outcome.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backend.h"
#include "elf_image.h"
#include "emulated_twin.h"
#include "guest_memory.h"
#include "host_functions.h"
#include "layout.h"
#include "outcome.h"
#include "snapshots.h"
#include "watchdog.h"

namespace microscope {

struct SandboxOptions {
  LayoutOptions layout;
  std::string backend = "auto";   // auto | emulated | kvm
  int64_t timeout_ns = 0;         // default per-call timeout; 0 = none
  size_t output_limit = 1 << 20;  // bytes of printed output kept per call
  uint64_t seed = 0;              // the control block's seed; 0 = random
  bool restore = true;            // calls restore the last snapshot first, unless told otherwise
};

// What a call's trace (debug/call_trace.h) sees of a call besides the guest's code: its
// host calls and its exits from the guest to the engine. Called on the thread running it.
class Sandbox;

class CallObserver {
 public:
  virtual ~CallObserver() = default;
  virtual void on_host_call(const std::string& name, const std::vector<Value>& args, const HostReply& reply,
                            int64_t start_ns, int64_t end_ns) = 0;
  // "out 0x6d00" (an exit the guest asked for), "hlt", "fault", "yield", "stop", "error".
  virtual void on_exit(const std::string& reason, int64_t at_ns) = 0;
};

// A CPU profile (profile/) of the calls a sandbox runs: told when each begins, and of the
// yields nobody else asked for (a sampling profiler's, request_sample()). Called on the
// thread running the sandbox.
class CpuProfiler {
 public:
  virtual ~CpuProfiler() = default;
  virtual void attach(Sandbox& sandbox) = 0;  // throws when it can't profile this sandbox's backend
  virtual void detach(Sandbox& sandbox) = 0;
  virtual void call_began(Sandbox& sandbox) = 0;
  virtual void sample(Sandbox& sandbox) = 0;
};

// A recording of a call (debug/recording.h) as the sandbox sees it: what the guest gets
// from the host, logged by position as it happens and handed back when a replay reaches
// the same position. Called on the thread running the call.
class CallRecorder {
 public:
  virtual ~CallRecorder() = default;
  // The reply recorded for the host call at `position`, when a replay is there; null when
  // the call runs live (it is then recorded).
  virtual const HostReply* replayed(const std::string& function, uint64_t position) = 0;
  virtual void recorded(const std::string& function, const HostReply& reply, uint64_t position) = 0;
};

struct CallOptions {
  bool restore = true;      // restore the last snapshot before running (see SandboxOptions::restore)
  int64_t timeout_ns = -1;  // -1 = the sandbox's default, 0 = none
};

class Sandbox final : private IoHandler {
 public:
  // Lays out memory and creates the vCPU; init() or begin_init() must run next.
  Sandbox(std::shared_ptr<const ElfImage> image, const SandboxOptions& options, HostFunctions* host);
  ~Sandbox() override;
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  const ElfImage& image() const { return *image_; }
  const std::shared_ptr<const ElfImage>& shared_image() const { return image_; }
  HostFunctions* host_functions() const { return host_; }
  const Layout& layout() const { return layout_; }
  const std::vector<Signature>& functions() const { return image_->exports(); }
  int find_function(const std::string& name) const;
  // The sandbox's own backend's, also while its emulated twin runs in its place.
  const char* backend_name() const { return on_emulated_twin() ? twin_->held().name() : backend_->name(); }
  const std::string& backend_reason() const { return backend_reason_; }
  GuestMemory& memory() { return memory_; }
  Backend& backend() { return *backend_; }
  Snapshots& snapshots() { return *snapshots_; }
  const SandboxOptions& options() const { return options_; }
  std::string symbolize(uint64_t address) const;      // "fib+0x1c", or "[heap]" where no symbol covers it
  const Symbol* function_at(uint64_t address) const;  // the function symbol covering it, or null
  bool find_symbol(const std::string& name, uint64_t* address) const;  // loaded address

  // A call from begin_call() to finish(). run() takes it on; where the backend allows
  // (runs_on_any_thread), a thread that must not block runs it with `may_block` false
  // and a time slice: run() then returns Suspended when the slice is used or a host
  // function answers later, and another thread continues with run(true, 0).
  void begin_init();
  void begin_call(size_t function, const std::vector<Value>& args, const CallOptions& options);
  // The last call again, same function and arguments: its frame is still in the input
  // buffer, which the guest can't write. For measuring loops.
  void begin_call_again(const CallOptions& options);
  // Paused: a debugging exit (a step, an int3, a watched access; paused_by() says which)
  // or pause(); run() goes on from there.
  enum class Step { Finished, Suspended, Paused };
  Step run(bool may_block = true, int64_t slice_ns = 0);
  ExitKind paused_by() const { return paused_by_; }
  // After run() returned Finished and before finish(): how the call ended, the guest's
  // state still as it left it (finish() restores the snapshot after a failure).
  const CallOutcome& ending() const { return outcome_; }
  // The first instruction of an export's function (after init).
  uint64_t function_address(size_t function) const { return entries_.at(function).function; }
  // The outcome stays valid until the next call begins.
  const CallOutcome& finish();
  bool busy() const { return phase_ != Phase::Idle; }
  bool initialized() const { return initialized_; }

  // The trace of the calls that follow; null to stop.
  void observe(CallObserver* observer) { observer_ = observer; }
  // The CPU profile of the calls that follow (attached here, detached by null or the
  // sandbox's end); null to stop.
  void profile(CpuProfiler* profiler);
  CpuProfiler* profiler() const { return profiler_; }
  // From any thread: the run under way, if any, yields to the profiler's sample() and goes
  // on; the guest can't tell, but for the time it took. False when no run is under way.
  bool request_sample();

  // The recording of the calls that follow (null to stop): host calls are logged and,
  // where a replay has them, answered from the log. The backend counts instructions.
  void record(CallRecorder* recorder) { recorder_ = recorder; }
  // A call recorded on a backend that can't count instructions (KVM) is replayed on the
  // sandbox's emulated twin (emulated_twin.h), which runs in its backend's place from
  // use_emulated_twin(true) to use_emulated_twin(false). Only between runs.
  void use_emulated_twin(bool on);
  bool on_emulated_twin() const { return twin_ && twin_->entered(); }
  // The call under way, or the one that just finished (before finish()), goes on from a
  // state the recorder has put back: running again, with the output it had printed by then.
  void rewind_call(size_t output_length);
  const std::string& output() const { return outcome_.output; }

  // From any thread: the call under way (if any) ends as Cancelled.
  void cancel();
  // From any thread: the run under way (or the next) stops where it can go on; run()
  // returns Paused, paused_by() Yielded.
  void pause();
  void clear_pause();  // a pause() that came after the run it was meant for
  // A call paused between runs ends without running further: as Cancelled with
  // `message`, or as `fault` (the debugger found the guest's own int3, say).
  void end_paused_call(const std::string& message);
  void fail_paused_call(const Fault& fault);

  // Whole calls, on a thread that may block.
  CallOutcome init();
  CallOutcome call(size_t function, const std::vector<Value>& args, const CallOptions& options = {});

 private:
  enum class Phase { Idle, Running, Finished };

  IoAction on_out(uint16_t port, uint32_t value) override;
  IoAction on_in(uint16_t port) override;
  IoAction serve_host_call();
  IoAction answer(const Signature& function, const HostReply& reply);
  IoAction end_with(OutcomeKind kind, std::string message);
  IoAction end_with_fault(int vector, std::string detail);
  void begin(const EntryRegisters& entry, int64_t timeout_ns);
  void start_call(size_t function, const CallOptions& options);
  void on_halt();
  Step paused(ExitKind why);
  void observe_exit(ExitKind kind);
  std::string read_call_entries();
  void interrupt();

  std::shared_ptr<const ElfImage> image_;
  SandboxOptions options_;
  HostFunctions* host_;
  Layout layout_;
  GuestMemory memory_;
  std::unique_ptr<Backend> backend_;
  std::string backend_reason_;
  std::unique_ptr<Snapshots> snapshots_;
  std::unique_ptr<EmulatedTwin> twin_;  // made the first time it's needed
  RunControl control_;

  bool initialized_ = false;
  // Where each export's calls start, read after init.
  struct CallEntry {
    uint64_t function = 0, thunk = 0;
    bool in_registers = false;  // scalar arguments that fit the SysV registers, a scalar result
  };
  std::vector<CallEntry> entries_;
  EntryRegisters call_entry_;  // the registers of the call under way
  int64_t framed_call_ = -1;   // the last call begun, which begin_call_again repeats

  // The call under way.
  Phase phase_ = Phase::Idle;
  bool is_init_ = false;
  Type returns_ = Type::Void;
  bool may_block_ = true;
  const Signature* pending_host_call_ = nullptr;  // a host function that answers later
  bool outcome_set_ = false;
  CallOutcome outcome_;
  int64_t started_ns_ = 0;
  int64_t run_started_ns_ = 0;  // the first run's start, taken by begin_call
  int64_t ended_ns_ = 0;
  int64_t timeout_ns_ = 0;
  ExitKind paused_by_ = ExitKind::Yielded;
  CallObserver* observer_ = nullptr;
  CpuProfiler* profiler_ = nullptr;
  CallRecorder* recorder_ = nullptr;
  std::vector<Value> pending_host_args_;  // a deferred host call's, for the observer
  int64_t pending_host_start_ = 0;
};

}  // namespace microscope
