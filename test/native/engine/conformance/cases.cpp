// The corpus: every outcome a call can have, on the guests the tests build
// (test/guests/*.c and the demo). Each case checks its own expectations; each recorded
// outcome is also compared across backends by the differential run.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

#include "harness.h"

namespace conformance {

namespace {

Value i32(int32_t v) { return Value::of_i32(v); }
Value u32(uint32_t v) { return Value::of_u32(v); }
Value i64(int64_t v) { return Value::of_i64(v); }
Value u64(uint64_t v) { return Value::of_u64(v); }

void return_values(Case& c) {
  auto box = c.sandbox("types");
  const std::pair<const char*, std::vector<std::pair<Value, std::string>>> echoes[] = {
      {"echo_i32", {{i32(-2147483647 - 1), "-2147483648"}, {i32(7), "7"}}},
      {"echo_u32", {{u32(4294967295u), "4294967295"}}},
      {"echo_i64", {{i64(INT64_MIN), "-9223372036854775808"}, {i64(-1), "-1"}}},
      {"echo_u64", {{u64(UINT64_MAX), "18446744073709551615"}}},
      {"echo_f64", {{Value::of_f64(-0.25), "-0.250000"}}},
      {"echo_bool", {{Value::of_bool(true), "true"}, {Value::of_bool(false), "false"}}},
      {"echo_str", {{Value::of_str("ünïcødé"), "ünïcødé"}, {Value::of_str(""), ""}}},
      {"echo_bytes", {{Value::of_bytes(std::string("\0\1\xff", 3)), "0001ff"}}},
  };
  for (const auto& echo : echoes) {
    for (const auto& [argument, expected] : echo.second) {
      const CallOutcome outcome = c.call(*box, echo.first, {argument});
      c.expect_value(outcome, expected);
      c.record(std::string(echo.first) + "(" + expected + ")", outcome);
    }
  }
  std::vector<Value> sixteen;
  for (int i = 1; i <= 16; ++i) sixteen.push_back(i64(i));
  const CallOutcome sum = c.call(*box, "sum16", sixteen);
  c.expect_value(sum, "1496");
  c.record("sum16", sum);
  const CallOutcome mixed = c.call(*box, "mixed",
                                   {i32(-1), u32(2), i64(-3), u64(4), Value::of_f64(0.125), Value::of_bool(true),
                                    Value::of_str("abc"), Value::of_bytes(std::string(5, 'x'))});
  c.expect_value(mixed, std::to_string(-1 + 20 - 300 + 4000 + 0.125 + 0.5 + 3e6 + 5e7));
  c.record("mixed", mixed);
  const CallOutcome nothing = c.call(*box, "nothing");
  c.expect_value(nothing, "void");
  c.record("nothing", nothing);
}

void demo_functions(Case& c) {
  auto box = c.sandbox("demo");
  const CallOutcome add = c.call(*box, "add", {i64(40), i64(2)});
  c.expect_value(add, "42");
  const CallOutcome fib = c.call(*box, "fib", {u32(20)});
  c.expect_value(fib, "6765");
  const CallOutcome sha = c.call(*box, "sha256", {Value::of_bytes("abc")});
  c.expect_value(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const CallOutcome greet = c.call(*box, "greet", {Value::of_str("Ann")});
  c.expect_value(greet, "Hello, Ann!");
  c.expect_equal("the output", "Hello, Ann!", greet.output);
  for (const auto& [label, outcome] : {std::make_pair("add", add), std::make_pair("fib", fib),
                                       std::make_pair("sha256", sha), std::make_pair("greet", greet)}) {
    c.record(label, outcome);
  }
}

// Host functions for host_calls.elf: they log every call, so the order shows.
void host_calls(Case& c) {
  auto box = c.sandbox("host_calls");
  c.context().host_log->clear();
  const CallOutcome doubled = c.call(*box, "double_via_host", {i64(21)});
  c.expect_value(doubled, "42");
  const CallOutcome three = c.call(*box, "log_three");
  c.expect_value(three, "void");
  const CallOutcome shout = c.call(*box, "shout_via_host", {Value::of_str("hey")});
  c.expect_value(shout, "HEY!");
  const CallOutcome half = c.call(*box, "half_via_host", {Value::of_f64(3)});
  c.expect_value(half, "1.500000");
  const CallOutcome all = c.call(*box, "all_types_via_host");
  c.expect_value(all, "7");
  const CallOutcome many = c.call(*box, "call_next", {u32(200)});
  uint64_t expected = 0;
  for (uint32_t i = 0; i < 200; ++i) expected = expected * 3 + i % 7;
  c.expect_value(many, std::to_string(expected));
  const std::vector<std::string> first_calls(c.context().host_log->begin(), c.context().host_log->begin() + 7);
  std::string order;
  for (const std::string& entry : first_calls) order += entry + ";";
  c.expect_equal("the host calls, in order",
                 "double_it(21);log(one);log(two);log(three);shout(hey);half(3.000000);"
                 "all(-1,2,-3,4,0.500000,true,six,010203);",
                 order);
  const CallOutcome unknown = c.call(*box, "call_unknown");
  c.expect(unknown.kind == OutcomeKind::HostError && unknown.host_function == "no_such_function",
           "an unknown host function is a host error: " + describe(unknown));
  const CallOutcome wrong = c.call(*box, "call_with_wrong_types");
  c.expect_equal("a wrong call", "host the guest called i64 double_it(i64) with (str)", describe(wrong));
  const CallOutcome failing = c.call(*box, "call_failing");
  c.expect_equal("a failing host function", "host fails: the disk is on fire", describe(failing));
  for (const auto& [label, outcome] :
       {std::make_pair("double", doubled), std::make_pair("log_three", three), std::make_pair("shout", shout),
        std::make_pair("half", half), std::make_pair("all", all), std::make_pair("many", many),
        std::make_pair("unknown", unknown), std::make_pair("wrong", wrong), std::make_pair("failing", failing)}) {
    c.record(label, outcome);
  }
}

void aborts(Case& c) {
  auto box = c.sandbox("demo");
  const CallOutcome abort = c.call(*box, "abort_with", {i32(9)});
  c.expect(
      abort.kind == OutcomeKind::Aborted && abort.abort_code == 9 && abort.message == "abort_with was asked to abort",
      "abort_with(9) aborts with its code and message: " + describe(abort));
  const CallOutcome oom = c.call(*box, "alloc", {u32(100'000'000)});
  c.expect(oom.kind == OutcomeKind::Aborted && oom.abort_code == 12 && oom.message == "out of memory",
           "alloc aborts when the heap is full: " + describe(oom));
  c.expect_value(c.call(*box, "alloc", {u32(1000)}), "124716");
  c.record("abort_with", abort);
  c.record("alloc", oom);
}

void faults(Case& c) {
  auto demo = c.sandbox("demo");
  const CallOutcome null = c.call(*demo, "crash_null");
  c.expect_fault(null, "#PF", "crash_null+");
  c.expect(null.fault.has_cr2 && null.fault.cr2 == 0, "a null read has CR2 0");
  const CallOutcome divide = c.call(*demo, "divide", {i32(1), i32(0)});
  c.expect_fault(divide, "#DE", "divide+");
  c.record("crash_null", null);
  c.record("divide", divide);

  auto hostile = c.sandbox("hostile");
  const std::pair<const char*, const char*> exceptions[] = {{"ud2", "#UD"},
                                                            {"int3", "#BP"},
                                                            {"stray_hlt", "stray hlt"},
                                                            {"write_page_tables", "#PF"},
                                                            {"write_control_block", "#PF"},
                                                            {"out_to_unknown_port", "bad port"},
                                                            {"host_frame_longer_than_buffer", "bad frame"},
                                                            {"result_frame_claiming_4gib", "bad frame"}};
  for (const auto& [function, vector] : exceptions) {
    const CallOutcome outcome = c.call(*hostile, function);
    // A bad RESULT frame is found when the call has returned to the halt stub.
    const bool at_halt = std::strcmp(function, "result_frame_claiming_4gib") == 0;
    c.expect_fault(outcome, vector, at_halt ? "[engine code]" : function);
    c.record(function, outcome);
  }
  const CallOutcome tables = c.call(*hostile, "write_page_tables");
  c.expect(tables.fault.has_cr2 && tables.fault.cr2 == MS_PAGE_TABLES_ADDRESS, "CR2 is the page tables' address");

  auto machine = c.sandbox("machine");
  const CallOutcome data = c.call(*machine, "data_address");
  const CallOutcome jump = c.call(*machine, "jump_to", {data.value});
  c.expect_fault(jump, "#PF", "[ELF segment");
  c.expect(jump.fault.has_cr2 && jump.fault.cr2 == data.value.u64, "a jump into data faults on its fetch");
  const CallOutcome deep = c.call(*machine, "recurse", {u32(100'000)});
  c.expect_fault(deep, "#PF", "recurse");
  const uint64_t guard = machine->layout().stack_base - MS_PAGE_SIZE;
  c.expect(deep.fault.cr2 >= guard && deep.fault.cr2 < guard + MS_PAGE_SIZE,
           "a stack overflow faults on the guard page");
  c.expect_value(c.call(*machine, "recurse", {u32(10)}), "55");
  c.record("jump_to_data", jump);
  c.record("recurse", deep);
}

void cancellation(Case& c) {
  auto box = c.sandbox("demo");
  CallOptions options;
  options.timeout_ns = 30'000'000;
  const CallOutcome timed = c.call(*box, "spin", {}, options);
  c.expect(timed.kind == OutcomeKind::Cancelled && timed.cancel_reason == CancelReason::Timeout,
           "spin stops at its timeout: " + describe(timed));
  // How soon after its deadline a run stops is a figure, measured by `npm run bench`
  // (timeout_overshoot), not a check: these machines are shared and noisy.
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    box->cancel();
  });
  const CallOutcome cancelled = c.call(*box, "spin");
  canceller.join();
  c.expect(cancelled.kind == OutcomeKind::Cancelled && cancelled.cancel_reason == CancelReason::Request,
           "spin stops at cancel() from another thread: " + describe(cancelled));
  c.expect_value(c.call(*box, "add", {i64(1), i64(1)}), "2");
  c.record("timeout", timed);
  c.record("cancel", cancelled);
}

void snapshots(Case& c) {
  auto box = c.sandbox("machine");
  CallOptions warm;
  warm.restore = false;
  c.expect_value(c.call(*box, "counter", {}, warm), "1");
  c.expect_value(c.call(*box, "counter", {}, warm), "2");
  const uint64_t two = box->snapshots().take();
  const CallOutcome touched = c.call(*box, "touch_pages", {u32(4)}, warm);
  box->backend().collect_dirty_pages();
  const auto& dirty = box->memory().dirty();
  for (uint64_t page = 0; page < 4; ++page) {
    c.expect(dirty.contains(touched.value.u64 / MS_PAGE_SIZE + page),
             "written page " + std::to_string(page) + " is reported dirty");
  }
  c.expect_value(c.call(*box, "counter", {}, warm), "3");
  box->snapshots().restore(two);
  c.expect_value(c.call(*box, "counter", {}, warm), "3");
  uint8_t byte = 1;
  box->memory().read(touched.value.u64 + 100, &byte, 1);
  c.expect(byte == 0, "the restore put the touched pages back");
  c.expect_value(c.call(*box, "counter"), "3");  // restores `two` first
}

uint64_t read_u64(const std::string& bytes, size_t offset) {
  uint64_t value = 0;
  if (offset + 8 <= bytes.size()) std::memcpy(&value, bytes.data() + offset, 8);
  return value;
}

void layout_and_entry_state(Case& c) {
  SandboxOptions options;
  options.seed = 0x1234;
  auto box = c.sandbox("machine", options);
  const CallOutcome block = c.call(*box, "control_block");
  const std::string& bytes = block.value.data;
  const Layout& layout = box->layout();
  c.expect_equal("the control block's magic", "MSCB", bytes.substr(0, 4));
  c.expect(read_u64(bytes, 8) == layout.memory_size, "memory size");
  c.expect(read_u64(bytes, 32) == layout.heap_begin && read_u64(bytes, 40) == layout.heap_end, "heap");
  c.expect(read_u64(bytes, 48) == layout.stack_base && read_u64(bytes, 56) == layout.stack_top, "stack");
  c.expect(read_u64(bytes, 96) == MS_HALT_ADDRESS && read_u64(bytes, 104) == 0x1234, "halt address and seed");
  c.expect_value(c.call(*box, "control_register", {u32(0)}), "2147811379");  // 0x80050033
  c.expect_value(c.call(*box, "control_register", {u32(3)}), "32768");       // 0x8000
  c.expect_value(c.call(*box, "control_register", {u32(4)}), "1568");        // 0x620
  // EFER: KVM also sets NXE (0x800); Unicorn 2.0.1 can't (native/README.md).
  c.expect_value(c.call(*box, "efer"), c.context().backend == "kvm" ? "3329" : "1280");
  c.expect_value(c.call(*box, "x87_control"), "895");  // 0x37f
  c.expect_value(c.call(*box, "mxcsr"), "8064");       // 0x1f80
  c.expect_value(c.call(*box, "segment", {u32(0)}), "8");
  c.expect_value(c.call(*box, "segment", {u32(1)}), "16");
  for (uint32_t data_segment = 2; data_segment <= 5; ++data_segment) {
    c.expect_value(c.call(*box, "segment", {u32(data_segment)}), "16");  // DS, ES, FS, GS
  }
  c.expect_value(c.call(*box, "entry_rsp"), std::to_string(layout.stack_top - 8));
  c.expect_value(c.call(*box, "sse_dot", {Value::of_f64(1.5), Value::of_f64(2)}), "15.000000");
  c.record("control_block", block);
}

}  // namespace

const std::vector<CaseDefinition>& all_cases() {
  static const std::vector<CaseDefinition> cases = [] {
    std::vector<CaseDefinition> all = {
        {"return values", return_values},
        {"demo functions", demo_functions},
        {"host calls", host_calls},
        {"aborts", aborts},
        {"faults", faults},
        {"cancellation", cancellation},
        {"snapshots", snapshots},
        {"layout and entry state", layout_and_entry_state},
    };
    for (CaseDefinition& definition : hostile_cases()) all.push_back(std::move(definition));
    for (CaseDefinition& definition : isolation_cases()) all.push_back(std::move(definition));
    for (CaseDefinition& definition : memory_size_cases()) all.push_back(std::move(definition));
    for (CaseDefinition& definition : syscall_cases()) all.push_back(std::move(definition));
    for (CaseDefinition& definition : libc_cases()) all.push_back(std::move(definition));
    for (CaseDefinition& definition : sqlite_cases()) all.push_back(std::move(definition));
    for (CaseDefinition& definition : debugger_cases()) all.push_back(std::move(definition));
    for (CaseDefinition& definition : profile_cases()) all.push_back(std::move(definition));
    for (CaseDefinition& definition : time_travel_cases()) all.push_back(std::move(definition));
    return all;
  }();
  return cases;
}

}  // namespace conformance
