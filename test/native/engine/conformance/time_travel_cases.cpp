// Time travel (core/debug/recording.h, time_travel.cpp) on the backend under test: a
// recorded call replayed to many positions gives back the very state it had there
// (registers and all of guest memory), host calls answer as they did, reverse
// continue finds the breakpoint hits in reverse order, reverse steps land on the
// instruction before, and last write agrees with a write watchpoint run forwards. On
// KVM the call runs there to its end first and is replayed on the emulated twin, checked
// against how it ended there.
#include <algorithm>
#include <cstring>
#include <functional>
#include <random>
#include <thread>

#include "../../../../native/engine/core/debug/debugger.h"
#include "../../../../native/engine/core/debug/kvm_recording.h"
#include "../../../../native/engine/core/errors.h"
#include "harness.h"

namespace conformance {

namespace {

// Everything the guest can see of itself: its registers and every byte of its memory.
struct State {
  Registers registers;
  SseRegisters sse;
  uint64_t cr0, cr3, cr4;
  uint64_t memory_hash;
  bool operator==(const State& other) const {
    return std::memcmp(&registers, &other.registers, sizeof registers) == 0 &&
           std::memcmp(&sse, &other.sse, sizeof sse) == 0 && cr0 == other.cr0 && cr3 == other.cr3 && cr4 == other.cr4 &&
           memory_hash == other.memory_hash;
  }
};

State state_of(Sandbox& box) {
  State state;
  Backend& backend = box.backend();
  state.registers = backend.registers();
  state.sse = backend.sse_registers();
  const SpecialRegisters special = backend.special_registers();
  state.cr0 = special.cr0;
  state.cr3 = special.cr3;
  state.cr4 = special.cr4;
  uint64_t hash = 1469598103934665603ull;
  const uint64_t* words = reinterpret_cast<const uint64_t*>(box.memory().host());
  for (uint64_t i = 0; i < box.memory().size() / 8; ++i) hash = (hash ^ words[i]) * 1099511628211ull;
  state.memory_hash = hash;
  return state;
}

RecordingOptions small_checkpoints() {
  RecordingOptions options;
  options.checkpoint_interval = 500;  // many checkpoints in a short call
  return options;
}

// On KVM a recorded call ran there to its end, and is replayed on the emulated twin.
void expect_twin_on_kvm(Case& c, Sandbox& box, Debugger& debugger) {
  if (c.context().backend != "kvm") return;
  c.expect(debugger.recording() && debugger.recording()->on_twin() && box.on_emulated_twin() &&
               std::string(box.backend_name()) == "kvm" && std::string(box.backend().name()) == "emulated",
           "on KVM the recording is replayed on the emulated twin");
}

// Steps through the whole call, keeping the state at many positions; then goes to each
// of them, in a shuffled order, and compares.
void replay_matches(Case& c, const std::string& name, std::vector<Value> args, std::string* result) {
  auto box = c.sandbox("time_travel");
  Debugger debugger(*box);
  const RecordingOptions options = small_checkpoints();
  debugger.start(function(*box, name), args, true, &options);
  expect_twin_on_kvm(c, *box, debugger);
  std::vector<std::pair<uint64_t, State>> kept;
  uint64_t steps = 0;
  for (;;) {
    const uint64_t position = debugger.position();
    if (steps++ % 5 == 0) kept.emplace_back(position, state_of(*box));
    const Stop& stop = debugger.resume(Resume::StepInstruction);
    if (stop.reason == StopReason::Exit) {
      *result = describe(*stop.outcome);
      break;
    }
    if (stop.position != position + 1) {
      c.expect(false,
               "a step moves one position on: " + std::to_string(position) + " to " + std::to_string(stop.position));
      return;
    }
  }
  const uint64_t end = debugger.recording()->end();
  c.expect(end == steps, "the recording ends after every instruction stepped (" + std::to_string(steps) + "), at " +
                             std::to_string(end));
  std::mt19937 shuffle(7);
  std::vector<std::pair<uint64_t, State>> order = kept;
  std::shuffle(order.begin(), order.end(), shuffle);
  size_t same = 0;
  for (const auto& at : order) {
    const Stop& stop = debugger.go_to(at.first);
    if (stop.position == at.first && state_of(*box) == at.second) ++same;
  }
  c.expect(same == order.size(), std::to_string(same) + " of " + std::to_string(order.size()) +
                                     " positions have the recorded state when gone to again");
  // And on to the end: the same outcome, from the log.
  const Stop& last = debugger.go_to(end);
  c.expect(last.reason == StopReason::Exit && last.outcome && describe(*last.outcome) == *result,
           "replayed to its end, the call ends as recorded: " + *result +
               (last.outcome ? ", got " + describe(*last.outcome) : ""));
}

void replay_recursion(Case& c) {
  std::string result;
  replay_matches(c, "fib_of", {Value::of_u32(9)}, &result);
  c.expect(result == "return 34", "fib(9) = 34: " + result);
}

void replay_host_calls(Case& c) {
  std::string result;
  replay_matches(c, "ticks", {Value::of_u32(4)}, &result);
  // Every live call of tick answers something new: a replay that called it again would
  // end differently (checked in replay_matches), and so does a second recording.
  std::string again;
  replay_matches(c, "ticks", {Value::of_u32(4)}, &again);
  c.expect(again != result, "a new recording sees new ticks (" + result + ", then " + again + ")");
}

void replay_outside_inputs(Case& c) {
  if (c.context().backend == "kvm") {
    // KVM doesn't show the host what rdtsc returned: the replay can't be exact, and says so.
    auto box = c.sandbox("time_travel");
    Debugger debugger(*box);
    const RecordingOptions options;
    try {
      debugger.start(function(*box, "outside_inputs"), {}, true, &options);
      c.expect(false, "a call that reads rdtsc is not recorded on KVM");
    } catch (const EngineError& error) {
      c.expect(std::string(error.what()).find("rdtsc") != std::string::npos &&
                   std::string(error.what()).find("emulated backend") != std::string::npos,
               std::string("the refusal names rdtsc and the backend that can: ") + error.what());
    }
    c.expect(!box->busy() && !box->on_emulated_twin() && !debugger.active(),
             "the refused call left the sandbox idle, on KVM");
    return;
  }
  std::string result;
  replay_matches(c, "outside_inputs", {}, &result);
}

void reverse_continue_and_steps(Case& c) {
  auto box = c.sandbox("time_travel");
  Debugger debugger(*box);
  const size_t fn = function(*box, "fib_of");
  const uint64_t fib = symbol(c, *box, "fib");
  const int breakpoint = debugger.add_breakpoint({fib}, BreakpointOptions{});
  // Unrecorded first: the hits a recording must see too (gcc turns one of fib's two
  // calls into a loop, so fewer than fib(5)'s 15).
  std::vector<uint64_t> unrecorded;
  debugger.start(fn, {Value::of_u32(5)});
  while (debugger.resume(Resume::Continue).reason == StopReason::Breakpoint)
    unrecorded.push_back(box->backend().registers().rdi);
  const RecordingOptions options = small_checkpoints();
  debugger.start(fn, {Value::of_u32(5)}, true, &options);
  std::vector<std::pair<uint64_t, uint64_t>> hits;  // position, n
  std::vector<State> states;                        // the live run's, at each hit
  for (;;) {
    const Stop& stop = debugger.resume(Resume::Continue);
    if (stop.reason != StopReason::Breakpoint) break;
    hits.emplace_back(stop.position, box->backend().registers().rdi);
    states.push_back(state_of(*box));
  }
  c.expect(hits.size() == unrecorded.size() && hits.size() > 4,
           "recorded or not, fib(5) stops as often at fib: " + std::to_string(hits.size()) + " and " +
               std::to_string(unrecorded.size()));
  c.expect(debugger.breakpoints().list().front().hits == 2 * hits.size(), "the forward runs counted each hit");
  // Back from the end, one hit at a time: the same positions and arguments, latest first.
  size_t matched = 0;
  for (size_t i = hits.size(); i-- > 0;) {
    const Stop& stop = debugger.reverse(Reverse::Continue);
    if (stop.reason == StopReason::Breakpoint && stop.breakpoint == breakpoint && stop.position == hits[i].first &&
        box->backend().registers().rdi == hits[i].second && stop.rip == fib && state_of(*box) == states[i])
      ++matched;
  }
  c.expect(matched == hits.size(), std::to_string(matched) + " of " + std::to_string(hits.size()) +
                                       " reverse continues stop at the forward hits, latest first, in the state the "
                                       "live run had there");
  c.expect(debugger.breakpoints().list().front().hits == 2 * hits.size(), "searching the past adds no hits");
  const Stop& start = debugger.reverse(Reverse::Continue);
  c.expect(start.reason == StopReason::Start && start.position == 0,
           std::string("before the first hit: the recording's start, got ") + stop_reason_name(start.reason));

  // Forward to the fourth hit (fib(2) inside fib(3) inside fib(4)), then back.
  debugger.go_to(hits[3].first);
  const Registers at_hit = box->backend().registers();
  const Stop& back = debugger.reverse(Reverse::StepInstruction);
  c.expect(back.reason == StopReason::Step && back.position == hits[3].first - 1, "reverse-stepi: one position back");
  const Instruction call = debugger.code().at(back.rip);
  c.expect(call.is_call && call.target == fib, "the instruction before fib's entry is its call");
  c.expect(box->backend().registers().rsp == at_hit.rsp + 8, "before the call, RSP is 8 higher");
  const Stop& forward = debugger.resume(Resume::StepInstruction);
  c.expect(forward.position == hits[3].first && state_of(*box) == states[3],
           "stepping forward again is back at the hit, in its live state");
  // Into fib a few instructions, then reverse-finish: the call that entered it.
  for (int i = 0; i < 4; ++i) debugger.resume(Resume::StepInstruction);
  const Stop& out = debugger.reverse(Reverse::StepOut);
  c.expect(out.reason == StopReason::Step && out.position == hits[3].first - 1,
           "reverse-finish goes to the call that entered the frame: position " + std::to_string(out.position) +
               ", expected " + std::to_string(hits[3].first - 1));
  // Forward over the whole recursion, then back over it with reverse-nexti.
  const Stop& over = debugger.resume(Resume::StepOver);
  const uint64_t after_call = over.position;
  const Stop& back_over = debugger.reverse(Reverse::StepOver);
  c.expect(back_over.position == hits[3].first - 1,
           "reverse-nexti over a returned call lands on the call: " + std::to_string(back_over.position) + " from " +
               std::to_string(after_call));
  debugger.end();
}

void last_write_matches_watchpoint(Case& c) {
  auto box = c.sandbox("time_travel");
  Debugger debugger(*box);
  const size_t fn = function(*box, "fib_of");
  const uint64_t last_n = symbol(c, *box, "last_n");
  const RecordingOptions options = small_checkpoints();
  debugger.start(fn, {Value::of_u32(6)}, true, &options);
  debugger.add_watchpoint(last_n, 8, WatchKind::Write);
  struct Write {
    uint64_t position, instruction;
    std::vector<uint8_t> old_value, new_value;
  };
  std::vector<Write> writes;
  uint64_t end = 0;
  for (;;) {
    const Stop& stop = debugger.resume(Resume::Continue);
    if (stop.reason != StopReason::Watchpoint) {
      end = stop.position;
      break;
    }
    writes.push_back({stop.position - 1, stop.watch.instruction, stop.watch.old_value, stop.watch.new_value});
  }
  c.expect(writes.size() == 25, "fib(6) writes last_n 25 times: " + std::to_string(writes.size()));
  size_t agreed = 0;
  for (size_t i = writes.size(); i-- > 0;) {
    // From just after each write (and from the end), the last write is that one.
    const uint64_t from = i + 1 < writes.size() ? writes[i + 1].position : end;
    debugger.go_to(from);
    const LastWrite found = debugger.last_write(last_n, 8);
    if (found.found && found.position == writes[i].position && found.instruction == writes[i].instruction &&
        found.old_value == writes[i].old_value && found.new_value == writes[i].new_value && debugger.position() == from)
      ++agreed;
  }
  c.expect(agreed == writes.size(), std::to_string(agreed) + " of " + std::to_string(writes.size()) +
                                        " last writes agree with the watchpoint's hits (and stay where they were)");
  debugger.go_to(writes.front().position);
  const LastWrite none = debugger.last_write(last_n, 8);
  c.expect(!none.found, "before the first write, nothing in the recording wrote last_n");
  // One byte of it: the same write.
  debugger.go_to(end);
  const LastWrite byte = debugger.last_write(last_n + 3, 1);
  c.expect(byte.found && byte.position == writes.back().position && byte.old_value.size() == 1,
           "a byte's last write is the store that covered it");
  debugger.end();
}

// Long replays run by blocks to the target's block, then count the rest: the states at
// breakpoint hits the live run kept are the states replays reach there, gone to forwards
// (from the hit before) and backwards (from a checkpoint far behind).
void long_replays(Case& c) {
  auto box = c.sandbox("time_travel");
  Debugger debugger(*box);
  const size_t fn = function(*box, "fib_of");
  RecordingOptions options;
  options.checkpoint_interval = 60000;
  debugger.start(fn, {Value::of_u32(20)}, true, &options);
  debugger.add_breakpoint({symbol(c, *box, "fib")}, BreakpointOptions{});
  std::vector<std::pair<uint64_t, State>> live;
  uint64_t hits = 0;
  for (;;) {
    const Stop& stop = debugger.resume(Resume::Continue);
    if (stop.reason != StopReason::Breakpoint) break;
    if (hits++ % 37 == 0) live.emplace_back(stop.position, state_of(*box));
  }
  c.expect(live.size() > 10 && debugger.recording()->end() > 200000,
           std::to_string(live.size()) + " states kept over " + std::to_string(debugger.recording()->end()) +
               " instructions");
  size_t forwards = 0, backwards = 0;
  debugger.go_to(0);
  for (const auto& at : live) {
    if (debugger.go_to(at.first).position == at.first && state_of(*box) == at.second) ++forwards;
  }
  for (auto at = live.rbegin(); at != live.rend(); ++at) {
    if (debugger.go_to(at->first).position == at->first && state_of(*box) == at->second) ++backwards;
  }
  c.expect(forwards == live.size() && backwards == live.size(),
           "replays reach the live states: " + std::to_string(forwards) + " forwards and " + std::to_string(backwards) +
               " backwards of " + std::to_string(live.size()));
  debugger.end();
}

// Checkpoints closer together than a block is long (SHA-256's unrolled rounds run
// hundreds of instructions in one): the call still runs on, each checkpoint a block on.
void dense_checkpoints(Case& c) {
  auto box = c.sandbox("demo");
  Debugger debugger(*box);
  const size_t fn = function(*box, "sha256");
  const std::vector<Value> args{Value::of_bytes(std::string(100, 'x'))};
  RecordingOptions options;
  options.checkpoint_interval = 20;
  debugger.start(fn, args, true, &options);
  const Stop& end = debugger.resume(Resume::Continue);
  c.expect(end.reason == StopReason::Exit && end.outcome && end.outcome->kind == OutcomeKind::Returned,
           "sha256 returns with a checkpoint due every 20 instructions");
  c.expect(debugger.recording()->checkpoint_count() > 20,
           std::to_string(debugger.recording()->checkpoint_count()) + " checkpoints");
  const uint64_t middle = debugger.recording()->end() / 2;
  debugger.go_to(middle);
  const State there = state_of(*box);
  debugger.go_to(3);
  const Stop& again = debugger.go_to(middle);
  c.expect(again.position == middle && state_of(*box) == there, "the middle is the same state gone to twice");
  debugger.end();
}

// A register's last write, checked against single steps forwards: the last instruction
// before now after which the register's value changed (or that Capstone says writes it).
void last_register_write(Case& c) {
  auto box = c.sandbox("time_travel");
  Debugger debugger(*box);
  const size_t fn = function(*box, "spin_rounds");
  RecordingOptions options = small_checkpoints();
  options.checkpoint_interval = 37;
  debugger.start(fn, {Value::of_u32(20)}, true, &options);
  // Forwards: where RDI (the argument, never written again) and RAX last changed.
  std::vector<uint64_t> rax_changes;
  uint64_t rax = box->backend().registers().rax;
  for (int i = 0; i < 60; ++i) {
    const uint64_t position = debugger.position();
    debugger.resume(Resume::StepInstruction);
    const uint64_t now = box->backend().registers().rax;
    if (now != rax) rax_changes.push_back(position);
    rax = now;
  }
  const uint64_t here = debugger.position();
  const LastWrite rdi = debugger.last_register_write(5);
  c.expect(!rdi.found, "nothing in the call wrote RDI: it holds the argument");
  const LastWrite found = debugger.last_register_write(0);
  c.expect(found.found && !rax_changes.empty() && found.position >= rax_changes.back() && found.position < here,
           "RAX's last write is at or after its last change (" +
               std::to_string(rax_changes.empty() ? 0 : rax_changes.back()) + "): " + std::to_string(found.position));
  uint64_t before = 0, after = 0;
  std::memcpy(&before, found.old_value.data(), 8);
  std::memcpy(&after, found.new_value.data(), 8);
  c.expect(after == box->backend().registers().rax, "its new value is RAX now");
  c.expect(debugger.position() == here, "the search leaves the call where it was");
  debugger.go_to(found.position);
  c.expect(box->backend().registers().rax == before, "at the write, RAX holds the old value");
  debugger.end();
}

// Past its size limit a recording drops its oldest part: what it still holds replays to
// the very states the call had, and what it dropped is refused, saying so.
void bounded_recording(Case& c) {
  auto box = c.sandbox("time_travel");
  Debugger debugger(*box);
  const size_t fn = function(*box, "fib_of");
  RecordingOptions options;
  options.checkpoint_interval = 400;
  options.size_limit = 64 << 10;  // a few checkpoints' pages
  debugger.start(fn, {Value::of_u32(11)}, true, &options);
  std::vector<std::pair<uint64_t, State>> kept;
  for (uint64_t steps = 0;; ++steps) {
    if (steps % 97 == 0) kept.emplace_back(debugger.position(), state_of(*box));
    if (debugger.resume(Resume::StepInstruction).reason == StopReason::Exit) break;
  }
  const Recording& recording = *debugger.recording();
  c.expect(recording.dropped() && recording.start() > 0,
           "the recording dropped its oldest part: it starts at " + std::to_string(recording.start()));
  c.expect(recording.bytes() <= options.size_limit + 64 * 4096,
           "it stays near its limit: " + std::to_string(recording.bytes()) + " bytes");
  size_t same = 0, held = 0;
  for (const auto& at : kept) {
    if (at.first < recording.start()) continue;
    ++held;
    const Stop& stop = debugger.go_to(at.first);
    if (stop.position == at.first && state_of(*box) == at.second) ++same;
  }
  c.expect(held > 3 && same == held,
           std::to_string(same) + " of " + std::to_string(held) + " positions it still holds have the recorded state");
  try {
    debugger.go_to(recording.start() - 1);
    c.expect(false, "a position it dropped is refused");
  } catch (const EngineError& error) {
    c.expect(std::string(error.what()).find("dropped") != std::string::npos,
             std::string("the refusal says it was dropped: ") + error.what());
  }
  const Stop& start = debugger.reverse(Reverse::Continue);
  c.expect(start.reason == StopReason::Start && start.position == recording.start(),
           "reverse-continue with no breakpoints stops at the recording's start");
  debugger.end();
}

// A recorded call cancelled part-way: the cancellation lands at an exact position, and a
// replay that gets there (going on from the past, or going to it) is cancelled there too.
void cancelled_recording(Case& c) {
  auto box = c.sandbox("time_travel");
  Debugger debugger(*box);
  const size_t fn = function(*box, "spin_rounds");
  RecordingOptions options;
  options.checkpoint_interval = 100000;
  if (c.context().backend == "kvm") {
    // Recorded on KVM, the call runs there to its end first: cancelled on the way, nothing
    // tells where, and there is no recording.
    std::thread canceller([&] {
      while (!debugger.running()) std::this_thread::yield();
      box->cancel();
    });
    try {
      debugger.start(fn, {Value::of_u32(2000000000)}, true, &options);
      c.expect(false, "a call cancelled while it is recorded on KVM is not recorded");
    } catch (const EngineError& error) {
      c.expect(std::string(error.what()).find("cancelled while it ran on kvm") != std::string::npos,
               std::string("the error says it was cancelled on KVM: ") + error.what());
    }
    canceller.join();
    c.expect(!box->busy() && !box->on_emulated_twin(), "the sandbox is idle, on KVM");
    return;
  }
  debugger.start(fn, {Value::of_u32(2000000000)}, true, &options);
  // 1,200 instructions in for certain, then cancelled as soon as the continue runs: before
  // its first instruction or anywhere after, the recording ends where the cancel landed.
  for (int i = 0; i < 1200; ++i) debugger.resume(Resume::StepInstruction);
  std::thread canceller([&] {
    while (!debugger.running()) std::this_thread::yield();
    box->cancel();
  });
  const Stop& stop = debugger.resume(Resume::Continue);
  canceller.join();
  c.expect(stop.reason == StopReason::Exit && stop.outcome && stop.outcome->kind == OutcomeKind::Cancelled,
           "the call ends cancelled");
  const uint64_t end = debugger.recording()->end();
  c.expect(debugger.recording()->cancelled() && end > 1000 && stop.position == end,
           "the recording ends where it was cancelled: " + std::to_string(end));
  debugger.go_to(end / 2);
  const Stop& again = debugger.resume(Resume::Continue);
  c.expect(again.reason == StopReason::Exit && again.outcome && again.outcome->kind == OutcomeKind::Cancelled &&
               again.position == end,
           "going on from the past is cancelled at the same position: " + std::to_string(again.position));
  const Stop& there = debugger.go_to(end);
  c.expect(there.reason == StopReason::Exit && there.outcome && there.outcome->kind == OutcomeKind::Cancelled,
           "going to its end is cancelled there");
  const Stop& before = debugger.go_to(end - 1);
  c.expect(before.reason == StopReason::Step && before.position == end - 1, "the instruction before it can be gone to");
  debugger.end();
}

// CPUID in a recorded call: its replay gets the answers the backend gave the call (on
// KVM, KVM's, not the emulator's: the replay is checked against KVM's run), and the call
// returns what an unrecorded call of it does.
void replay_of_cpuid(Case& c) {
  auto box = c.sandbox("time_travel");
  const size_t fn = function(*box, "cpu_identity");
  const CallOutcome plain = box->call(fn, {});
  Debugger debugger(*box);
  const RecordingOptions options;
  debugger.start(fn, {}, true, &options);
  expect_twin_on_kvm(c, *box, debugger);
  const Stop& end = debugger.resume(Resume::Continue);
  c.expect(end.reason == StopReason::Exit && end.outcome && describe(*end.outcome) == describe(plain),
           "the recorded call returns what the unrecorded one did: " + describe(plain) +
               (end.outcome ? ", got " + describe(*end.outcome) : ""));
  const Stop& again = debugger.go_to(end.position);
  c.expect(again.outcome && describe(*again.outcome) == describe(plain), "and so does its replay");
  debugger.end();
}

// A hostile guest's recorded call (test/guests/tamper.c): one that loads descriptor tables,
// page tables or MSRs of its own is recorded or refused with a clear error, never brings
// the host down, and the sandbox's later calls are as ever.
void recorded_tampering(Case& c) {
  auto box = c.sandbox("tamper");
  const size_t tamper = function(*box, "tamper_only");
  const size_t fine = function(*box, "still_fine");
  Debugger debugger(*box);
  const RecordingOptions options;
  size_t recorded = 0, refused = 0;
  for (uint32_t how = 1; how < 13; ++how) {
    try {
      debugger.start(tamper, {Value::of_u32(how)}, true, &options);
      const Stop& end = debugger.resume(Resume::Continue);
      if (end.reason == StopReason::Fault) debugger.resume(Resume::Continue);
      ++recorded;
    } catch (const EngineError& error) {
      ++refused;
      c.expect(std::string(error.what()).size() > 20, std::string("a refusal says why: ") + error.what());
    }
    debugger.end();
    const CallOutcome later = box->call(fine, {Value::of_i64(41)});
    c.expect(later.kind == OutcomeKind::Returned && later.value.i64 == 42,
             "after tampering " + std::to_string(how) + ", a later call is as ever: " + describe(later));
  }
  c.expect(recorded + refused == 12 && !box->on_emulated_twin(), "every tampering was recorded or refused (" +
                                                                     std::to_string(recorded) + " recorded, " +
                                                                     std::to_string(refused) + " refused)");
}

// A recorded call that faults: it stops at the fault, and can be gone back in from there
// (on KVM its replay is checked against the fault KVM delivered).
void faulting_recording(Case& c) {
  auto box = c.sandbox("demo");
  Debugger debugger(*box);
  const RecordingOptions options;
  debugger.start(function(*box, "crash_null"), {}, true, &options);
  expect_twin_on_kvm(c, *box, debugger);
  const Stop& fault = debugger.resume(Resume::Continue);
  c.expect(fault.reason == StopReason::Fault && fault.outcome && fault.outcome->fault.vector == 14,
           "the call stops at its #PF");
  const uint64_t at = fault.position;
  const uint64_t rip = fault.rip;
  const Stop& back = debugger.reverse(Reverse::StepInstruction);
  c.expect(back.reason == StopReason::Step && back.position + 1 == at, "a step back goes to the instruction before it");
  // The fault's position is its instruction's, which never completed: a step gets there,
  // and the next faults again.
  const Stop& there = debugger.resume(Resume::StepInstruction);
  c.expect(there.reason == StopReason::Step && there.rip == rip && there.position == at,
           "a step goes to the faulting instruction");
  const Stop& again = debugger.resume(Resume::StepInstruction);
  c.expect(
      again.reason == StopReason::Fault && again.outcome && again.outcome->fault.rip == rip && again.position == at,
      "which faults again: " + std::string(stop_reason_name(again.reason)) + " at " + std::to_string(again.position));
  debugger.end();
}

// The check of a replay against the call as the sandbox's own backend ran it
// (kvm_recording.h): none where nothing was changed, and each change named.
void replay_checked_against_call(Case& c) {
  auto box = c.sandbox("time_travel");
  const size_t fn = function(*box, "ticks");
  const std::vector<Value> args{Value::of_u32(4)};
  CallOptions options;
  options.timeout_ns = 0;
  auto difference = [&](const std::function<void(KvmRun&)>& change) {
    box->begin_call(fn, args, options);
    KvmRun made = run_to_end_on_own_backend(*box);
    change(made);
    box->use_emulated_twin(true);
    box->begin_call(fn, args, options);
    std::string found;
    {
      Recording recording(*box, RecordingOptions{}, made.replies);
      while (box->run(true, 0) != Sandbox::Step::Finished) {
      }
      found = replay_difference(made, *box, recording);
    }
    box->finish();
    c.expect(!box->on_emulated_twin(), "the sandbox's own backend is back once the recording goes");
    return found;
  };
  const std::string same = difference([](KvmRun&) {});
  c.expect(same.empty(), "the replay ends as the call did: " + same);
  const std::string rbx = difference([](KvmRun& made) { made.registers.rbx ^= 1; });
  c.expect(rbx.find("rbx is") != std::string::npos, "a register that differs is named: " + rbx);
  const std::string byte = difference([](KvmRun& made) { made.contents[made.contents.size() - 1] ^= 0x40; });
  c.expect(byte.find("the byte at") != std::string::npos, "a byte that differs is named: " + byte);
  const std::string value = difference([](KvmRun& made) { made.outcome.value.u64 += 1; });
  c.expect(value.find("it ended return") != std::string::npos, "a result that differs is named: " + value);
  const std::string fewer = difference([](KvmRun& made) { made.replies.pop_back(); });
  c.expect(fewer.find("it ended host") != std::string::npos,
           "a host call the call didn't make ends the replay: " + fewer);
  const std::string more = difference([](KvmRun& made) { made.replies.push_back(made.replies.back()); });
  c.expect(more.find("1 host calls fewer") != std::string::npos,
           "a host call the replay didn't make is counted: " + more);
}

}  // namespace

std::vector<CaseDefinition> time_travel_cases() {
  return {
      {"time travel: replay of a recursion", replay_recursion},
      {"time travel: replay of host calls", replay_host_calls},
      {"time travel: replay of outside inputs", replay_outside_inputs},
      {"time travel: reverse continue and steps", reverse_continue_and_steps},
      {"time travel: long replays", long_replays},
      {"time travel: checkpoints closer than a block", dense_checkpoints},
      {"time travel: last write", last_write_matches_watchpoint},
      {"time travel: last write of a register", last_register_write},
      {"time travel: a bounded recording", bounded_recording},
      {"time travel: a cancelled recording", cancelled_recording},
      {"time travel: a replay checked against the call", replay_checked_against_call},
      {"time travel: a faulting call", faulting_recording},
      {"time travel: replay of cpuid", replay_of_cpuid},
      {"time travel: a hostile guest's recorded calls", recorded_tampering},
  };
}

}  // namespace conformance
