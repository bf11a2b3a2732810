// The debugger's run control on the backend under test (core/debug): entry, steps,
// breakpoints with conditions and hit counts, step over and out, run-to, watchpoints,
// pause, the guest's own int3, restart, and the call's end. Each stop is also recorded,
// so the differential run holds both backends to the same stops.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

#include "../../../../native/engine/core/debug/c_expression.h"
#include "../../../../native/engine/core/debug/call_trace.h"
#include "../../../../native/engine/core/debug/debugger.h"
#include "../../../../native/engine/core/debug/variable_text.h"
#include "../../../../native/engine/core/errors.h"
#include "harness.h"

namespace conformance {

namespace {

std::string where(Sandbox& box, const Stop& stop) {
  std::string text = std::string(stop_reason_name(stop.reason)) + " at " + box.symbolize(stop.rip);
  if (stop.reason == StopReason::Fault && stop.outcome) text += " (" + describe_fault(stop.outcome->fault, "") + ")";
  return text;
}

void record_stop(Case& c, Sandbox& box, const std::string& label, const Stop& stop) {
  std::vector<std::pair<std::string, std::string>> fields = {{"reason", stop_reason_name(stop.reason)},
                                                             {"at", box.symbolize(stop.rip)}};
  if (stop.reason == StopReason::Watchpoint && stop.watch.instruction_known) {
    fields.emplace_back("instruction", box.symbolize(stop.watch.instruction));
  }
  if (stop.outcome) fields.emplace_back("outcome", describe(*stop.outcome));
  c.record_fields(label, fields);
}

void entry_and_steps(Case& c) {
  auto box = c.sandbox("debuggee");
  Debugger debugger(*box);
  const uint64_t sum_squares = symbol(c, *box, "sum_squares");
  const Stop& entry = debugger.start(function(*box, "sum_squares"), {Value::of_u32(3)});
  c.expect_equal("the first stop", "entry at sum_squares", where(*box, entry));
  c.expect(box->backend().registers().rdi == 3, "the argument is in RDI at the entry");
  record_stop(c, *box, "entry", entry);

  // Step instructions until the `call square`, then over it: one stop later RAX = 1².
  Instruction at = debugger.code().at(entry.rip);
  c.expect_equal("the first instruction", "mov", at.mnemonic);  // total = 0
  const Stop& step = debugger.resume(Resume::StepInstruction);
  c.expect(step.reason == StopReason::Step && step.rip == sum_squares + at.size,
           "a step moves RIP past the first instruction: " + where(*box, step));
  for (int i = 0; i < 64 && !(at = debugger.code().at(box->backend().registers().rip)).is_call; ++i) {
    debugger.resume(Resume::StepInstruction);
  }
  c.expect(at.is_call && at.has_target && at.target == symbol(c, *box, "square"), "stepped to the call of square");
  const uint64_t call_at = box->backend().registers().rip;
  const Stop& over = debugger.resume(Resume::StepOver);
  c.expect(over.reason == StopReason::Step && over.rip == call_at + at.size,
           "step over a call stops just past it: " + where(*box, over));
  c.expect(box->backend().registers().rax == 1, "square(1) ran: RAX = 1");
  record_stop(c, *box, "step over", over);

  // Into the next square, then out of it.
  const Stop& into = debugger.resume(Resume::RunTo, symbol(c, *box, "square"));
  c.expect_equal("run to square", "step at square", where(*box, into));
  c.expect(box->backend().registers().rdi == 2, "the second call's argument");
  debugger.resume(Resume::StepInstruction);  // push rbp: step out from the middle of the prologue
  const Stop& out = debugger.resume(Resume::StepOut);
  c.expect(out.reason == StopReason::Step && box->symbolize(out.rip).rfind("sum_squares+", 0) == 0,
           "step out returns into sum_squares: " + where(*box, out));
  c.expect(box->backend().registers().rax == 4, "square(2) returned 4");
  record_stop(c, *box, "step out", out);

  const Stop& exit = debugger.resume(Resume::Continue);
  c.expect(exit.reason == StopReason::Exit && exit.outcome && describe(*exit.outcome) == "return 14",
           "continue runs to the end: " + (exit.outcome ? describe(*exit.outcome) : where(*box, exit)));
  c.expect(!debugger.active(), "the call is over");
  // And the sandbox calls as ever, no debugging left switched on.
  c.expect_value(c.call(*box, "sum_squares", {Value::of_u32(3)}), "14");
  c.expect_fault(c.call(*box, "own_int3"), "#BP", "own_int3");
}

void breakpoints(Case& c) {
  auto box = c.sandbox("debuggee");
  Debugger debugger(*box);
  const uint64_t square = symbol(c, *box, "square");
  const int every = debugger.add_breakpoint({square}, BreakpointOptions{});
  debugger.start(function(*box, "sum_squares"), {Value::of_u32(4)});
  for (uint64_t i = 1; i <= 2; ++i) {
    const Stop& hit = debugger.resume(Resume::Continue);
    c.expect(hit.reason == StopReason::Breakpoint && hit.breakpoint == every && hit.rip == square,
             "breakpoint on square, hit " + std::to_string(i) + ": " + where(*box, hit));
    c.expect(box->backend().registers().rdi == i, "square's argument at hit " + std::to_string(i));
    // A breakpoint leaves no trace in the guest's state: its segments are the entry's.
    const SpecialRegisters special = box->backend().special_registers();
    c.expect(special.cs.selector == 8 && special.ss.selector == 16 && special.ds.selector == 16,
             "CS, SS and DS at a breakpoint are 0x8, 0x10 and 0x10: got " + hex(special.cs.selector) + ", " +
                 hex(special.ss.selector) + ", " + hex(special.ds.selector));
  }
  debugger.breakpoints().enable(every, false);
  const int third = debugger.add_breakpoint({square}, BreakpointOptions{"rdi == 3", "", ""});
  const Stop& conditional = debugger.resume(Resume::Continue);
  c.expect(conditional.reason == StopReason::Breakpoint && conditional.breakpoint == third &&
               box->backend().registers().rdi == 3,
           "the condition rdi == 3 stops at the third call only");
  record_stop(c, *box, "conditional", conditional);
  const Stop& exit = debugger.resume(Resume::Continue);
  c.expect(exit.reason == StopReason::Exit && describe(*exit.outcome) == "return 30", "runs on to the end: 30");
  c.expect(debugger.breakpoints().list()[0].hits == 2 && debugger.breakpoints().list()[1].hits == 1,
           "hit counts: 2 on the first breakpoint, 1 on the conditional one");

  // Restart: the same call, from the entry again, its breakpoints still set.
  debugger.breakpoints().enable(every, true);
  debugger.start(function(*box, "sum_squares"), {Value::of_u32(4)});
  debugger.resume(Resume::Continue);
  const Stop& again = debugger.restart();
  c.expect_equal("restart", "entry at sum_squares", where(*box, again));
  const Stop& first = debugger.resume(Resume::Continue);
  c.expect(first.reason == StopReason::Breakpoint && box->backend().registers().rdi == 1,
           "after a restart the first hit is square(1) again");
  debugger.end();
  c.expect(!debugger.active() && !box->busy(), "end() ends the call");

  // A call that enters through its thunk stops at the function itself.
  const Stop& thunk = debugger.start(function(*box, "length_of"), {Value::of_str("four")});
  c.expect_equal("a str call's entry", "entry at length_of", where(*box, thunk));
  const Stop& length = debugger.resume(Resume::Continue);
  c.expect(length.reason == StopReason::Exit && describe(*length.outcome) == "return 4", "length_of returns 4");

  // The guest's own int3 is still a #BP fault: the debugger stops at it, then the call
  // ends with it.
  const Stop& own = debugger.start(function(*box, "own_int3"), {});
  const Stop& fault = debugger.resume(Resume::Continue);
  c.expect(fault.reason == StopReason::Fault && fault.outcome && fault.outcome->fault.vector == 3,
           "the guest's own int3 stops as a #BP fault: " + where(*box, fault));
  (void)own;
  const Stop& ended = debugger.resume(Resume::Continue);
  c.expect(ended.reason == StopReason::Exit && ended.outcome->kind == OutcomeKind::Faulted &&
               ended.outcome->fault.vector == 3,
           "continuing after the fault ends the call with it");
  record_stop(c, *box, "own int3", ended);
}

void watchpoints(Case& c) {
  auto box = c.sandbox("debuggee");
  Debugger debugger(*box);
  const uint64_t total = symbol(c, *box, "total");
  const int watch = debugger.add_watchpoint(total, 8, WatchKind::Write);
  debugger.start(function(*box, "sum_squares"), {Value::of_u32(3)});
  const uint64_t expected[] = {0, 1, 5, 14};
  uint64_t before = 0;
  std::memcpy(&before, box->memory().host() + total, 8);
  for (uint64_t value : expected) {
    const Stop& hit = debugger.resume(Resume::Continue);
    uint64_t old_value = 0, new_value = 0;
    if (hit.watch.old_value.size() == 8) std::memcpy(&old_value, hit.watch.old_value.data(), 8);
    if (hit.watch.new_value.size() == 8) std::memcpy(&new_value, hit.watch.new_value.data(), 8);
    c.expect(hit.reason == StopReason::Watchpoint && hit.watch.watchpoint == watch && hit.watch.write,
             "a write to total stops: " + where(*box, hit));
    c.expect(old_value == before && new_value == value,
             "total goes from " + std::to_string(before) + " to " + std::to_string(value) + ": got " +
                 std::to_string(old_value) + " -> " + std::to_string(new_value));
    c.expect(hit.watch.instruction_known && box->symbolize(hit.watch.instruction).rfind("sum_squares", 0) == 0 &&
                 debugger.code().at(hit.watch.instruction).mnemonic == "mov",
             "the write is a mov in sum_squares: " + box->symbolize(hit.watch.instruction));
    before = value;
  }
  record_stop(c, *box, "write watch", debugger.stop());
  const Stop& exit = debugger.resume(Resume::Continue);
  c.expect(exit.reason == StopReason::Exit && describe(*exit.outcome) == "return 14", "then the call returns 14");
  debugger.watchpoints().remove(watch);

  const uint64_t reads_only = symbol(c, *box, "reads_only");
  debugger.add_watchpoint(reads_only, 4, WatchKind::Read);
  debugger.start(function(*box, "read_twice"), {});
  for (int i = 1; i <= 2; ++i) {
    const Stop& read = debugger.resume(Resume::Continue);
    c.expect(read.reason == StopReason::Watchpoint && !read.watch.write && read.watch.old_value == read.watch.new_value,
             "read " + std::to_string(i) + " of reads_only stops, value unchanged: " + where(*box, read));
    if (i == 1) record_stop(c, *box, "read watch", read);
  }
  const Stop& done = debugger.resume(Resume::Continue);
  c.expect(done.reason == StopReason::Exit && describe(*done.outcome) == "return 14", "read_twice returns 14");
}

void pause(Case& c) {
  auto box = c.sandbox("debuggee");
  Debugger debugger(*box);
  debugger.start(function(*box, "spin_forever"), {});
  std::thread pauser([&] {
    while (!debugger.running()) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    debugger.pause();
  });
  const Stop& paused = debugger.resume(Resume::Continue);
  pauser.join();
  c.expect(paused.reason == StopReason::Pause && box->symbolize(paused.rip).rfind("spin_forever", 0) == 0,
           "pause stops the spinning guest in spin_forever: " + where(*box, paused));
  const Stop& step = debugger.resume(Resume::StepInstruction);
  c.expect(step.reason == StopReason::Step, "and it steps on from there");
  debugger.end();
  c.expect_value(c.call(*box, "sum_squares", {Value::of_u32(2)}), "5");
}

void call_trace(Case& c) {
  auto box = c.sandbox("demo");
  const CallTrace trace = trace_call(*box, function(*box, "fib"), {Value::of_u32(10)});
  c.expect_value(trace.outcome, "55");
  const auto& symbols = box->image().symbols();
  size_t fibs = 0, deepest = 0;
  std::vector<const TraceEvent*> open;  // the enclosing functions, checked for nesting
  for (const TraceEvent& event : trace.events) {
    while (!open.empty() && open.size() > event.depth) open.pop_back();
    if (!open.empty()) {
      const TraceEvent& parent = *open.back();
      c.expect(event.start_ns >= parent.start_ns &&
                   event.start_ns + event.duration_ns <= parent.start_ns + parent.duration_ns,
               "every event lies inside the function around it");
    }
    if (event.kind != TraceEvent::Kind::Function) continue;
    c.expect(event.duration_ns >= 0, "every function event is closed");
    if (symbols[event.index].name == "fib") ++fibs;
    deepest = std::max<size_t>(deepest, event.depth);
    open.push_back(&event);
  }
  c.expect_equal("fib events in the trace of fib(10)", "177", std::to_string(fibs));
  c.expect_equal("the deepest fib", "9", std::to_string(deepest));
  c.expect(!trace.exits.empty() && trace.exits.back() == "hlt", "the last exit is the return's hlt");

  const CallTrace greet = trace_call(*box, function(*box, "greet"), {Value::of_str("Ann")});
  c.expect_value(greet.outcome, "Hello, Ann!");
  c.expect(greet.host_calls.size() == 1 && greet.host_calls[0].name == "print" &&
               greet.host_calls[0].args.size() == 1 && greet.host_calls[0].args[0].data == "Hello, Ann!",
           "greet's one host call: print(\"Hello, Ann!\")");
  size_t outs = 0;
  for (const std::string& exit : greet.exits) outs += exit == "out 0x6d00";
  c.expect_equal("greet's host-call exits", "1", std::to_string(outs));
  c.record_fields("fib(10)", {{"fib events", std::to_string(fibs)}, {"deepest", std::to_string(deepest)}});
}

// Line steps (line_steps.cpp): the source line each reaches, into square and back, over
// the recursion of fib, on both backends alike.
void line_steps(Case& c) {
  const auto lines_of = [&](const std::string& guest, const std::string& name, Value arg, const std::string& moves) {
    auto box = c.sandbox(guest);
    Debugger debugger(*box);
    debugger.start(function(*box, name), {arg});
    std::string seen;
    for (char move : moves) {
      const Stop& stop = debugger.resume(move == 'i' ? Resume::LineInto : Resume::LineOver);
      record_stop(c, *box, name + " line step", stop);
      SourceLine line;
      if (stop.reason == StopReason::Exit) {
        seen += " exit";
        break;
      }
      const std::string at = box->symbolize(stop.rip);
      seen += " " + at.substr(0, at.find('+')) + ":" +
              (debugger.code().debug_info().line_at(stop.rip, &line) ? std::to_string(line.line) : "?");
    }
    return seen;
  };
  c.expect_equal("step in through sum_squares(2)",
                 " sum_squares:13 square:8 sum_squares:13 square:8 sum_squares:14 exit",
                 lines_of("debuggee", "sum_squares", Value::of_u32(2), "iiiiii"));
  c.expect_equal("next through fib(3)", " fib:14 fib:15 fib:16 exit",
                 lines_of("demo", "fib", Value::of_u32(3), "oooo"));
}

// Variables and C expressions (frame_variables, c_expression): each recursive frame's
// argument, recovered from the registers the unwinder finds on this backend; a
// condition and a logpoint in C; a value set in a register and one in memory, which the
// guest then computes with.
void variables(Case& c) {
  auto box = c.sandbox("variables");
  Debugger debugger(*box);
  const auto value_of = [&](const std::string& expression, size_t frame) {
    try {
      const FrameContext context = debugger.frame(frame);
      return value_text(context, Expression::parse(expression, debugger.code().types()).evaluate(context),
                        TextLimits{});
    } catch (const EngineError& e) {
      return std::string("error: ") + e.what();
    }
  };
  const uint64_t depth = symbol(c, *box, "depth");
  debugger.add_breakpoint({depth}, BreakpointOptions{"n == 0", "", ""});
  debugger.add_breakpoint({depth}, BreakpointOptions{"", "", "depth({n})"});
  debugger.start(function(*box, "variables_depth"), {Value::of_i32(3)});
  const Stop& stop = debugger.resume(Resume::Continue);
  c.expect_equal("the stop", "breakpoint at depth", where(*box, stop));
  std::string logs;
  for (const BreakpointHit::Log& log : stop.logs) logs += " " + log.text;
  c.expect_equal("the logpoint's messages", " depth(3) depth(2) depth(1) depth(0)", logs);
  std::string frames;
  for (size_t i = 0; i < debugger.frames().size(); ++i) frames += " n=" + value_of("n", i);
  c.expect_equal("each frame's n", " n=0 n=1 n=2 n=3", frames);
  c.record_fields("depth frames", {{"frames", frames}, {"logs", logs}});

  // n = 5 in the register it is in at the entry; depth(5) is 100 + 5 + 4 + 3 + 2 + 1.
  GuestWriter writer;
  writer.memory = [&](uint64_t address, const std::vector<uint8_t>& bytes) {
    box->memory().write(address, bytes.data(), bytes.size());
  };
  writer.reg = [&](int reg, const std::vector<uint8_t>& bytes) {
    Registers r = box->backend().registers();
    c.expect(reg == 5, "n is in RDI at depth's entry");
    std::memcpy(&r.rdi, bytes.data(), 8);
    box->backend().set_registers(r);
  };
  debugger.breakpoints().remove(1);
  debugger.breakpoints().remove(2);
  debugger.restart();
  debugger.resume(Resume::StepInstruction);  // into depth, through the export's tail call
  const FrameContext entry = debugger.frame(0);
  assign(entry, Expression::parse("n", debugger.code().types()).evaluate(entry),
         Expression::parse("5", debugger.code().types()).evaluate(entry), "n", writer);
  c.expect_equal("n after setting it", "5", value_of("n", 0));
  const Stop& end = debugger.resume(Resume::Continue);
  c.expect_equal("depth(5)", "return 115", describe(*end.outcome));

  // A global in memory: counter, which variables_shapes adds one to.
  debugger.start(function(*box, "variables_shapes"), {Value::of_i32(1)});
  const FrameContext shapes = debugger.frame(0);
  assign(shapes, Expression::parse("counter", debugger.code().types()).evaluate(shapes),
         Expression::parse("counter * 10", debugger.code().types()).evaluate(shapes), "counter", writer);
  c.expect_equal("counter after setting it", "410", value_of("counter", 0));
  debugger.end();
}

}  // namespace

std::vector<CaseDefinition> debugger_cases() {
  return {
      {"debugger: entry and steps", entry_and_steps},
      {"debugger: breakpoints", breakpoints},
      {"debugger: watchpoints", watchpoints},
      {"debugger: pause", pause},
      {"debugger: call trace", call_trace},
      {"debugger: line steps", line_steps},
      {"debugger: variables", variables},
  };
}

}  // namespace conformance
