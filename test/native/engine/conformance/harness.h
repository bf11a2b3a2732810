// The conformance suite's harness: cases that run guests on one backend and check their
// outcomes, a line each, and a JSON record of each outcome for the differential run
// (the same corpus on the emulated backend and on KVM, compared outcome by outcome).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "../../../../native/engine/core/sandbox.h"

namespace conformance {

using namespace microscope;

struct Context {
  std::string backend;  // "emulated" or "kvm"
  std::string guests;   // folders holding the guests, separated by ':'
  HostFunctions* host;  // the suite's host functions
  std::vector<std::string>* host_log;
};

// One case: runs, and reports every check it makes.
class Case {
 public:
  Case(std::string name, const Context& context) : name_(std::move(name)), context_(context) {}

  std::unique_ptr<Sandbox> sandbox(const std::string& guest, SandboxOptions options = {});
  CallOutcome call(Sandbox& sandbox, const std::string& function, std::vector<Value> args = {},
                   CallOptions options = {});

  void expect(bool condition, const std::string& what);
  void expect_equal(const std::string& what, const std::string& expected, const std::string& actual);
  void expect_value(const CallOutcome& outcome, const std::string& expected);
  void expect_fault(const CallOutcome& outcome, const std::string& vector, const std::string& symbol_prefix);
  // Records an outcome for the differential run, under `label`.
  void record(const std::string& label, const CallOutcome& outcome);
  // Records other facts (a debugger's stop, say) for the differential run, as strings.
  void record_fields(const std::string& label, const std::vector<std::pair<std::string, std::string>>& fields);

  const std::string& name() const { return name_; }
  const Context& context() const { return context_; }
  const std::vector<std::string>& failures() const { return failures_; }
  const std::vector<std::string>& records() const { return records_; }

 private:
  std::string name_;
  const Context& context_;
  std::vector<std::string> failures_;
  std::vector<std::string> records_;
};

// "42", "-1", "0x..." for u64, the text of a str, hex of bytes, "void".
std::string text_of(const Value& value);
std::string describe(const CallOutcome& outcome);

struct CaseDefinition {
  std::string name;
  std::function<void(Case&)> run;
};

const std::vector<CaseDefinition>& all_cases();
// A guest's symbol's loaded address (a failed check when it has none), and an export's number.
uint64_t symbol(Case& c, Sandbox& box, const std::string& name);
size_t function(Sandbox& box, const std::string& name);

std::vector<CaseDefinition> debugger_cases();     // debugger_cases.cpp
std::vector<CaseDefinition> hostile_cases();      // hostile_cases.cpp
std::vector<CaseDefinition> isolation_cases();    // isolation_cases.cpp
std::vector<CaseDefinition> syscall_cases();      // syscall_cases.cpp
std::vector<CaseDefinition> libc_cases();         // libc_cases.cpp
std::vector<CaseDefinition> memory_size_cases();  // memory_size_cases.cpp
std::vector<CaseDefinition> sqlite_cases();       // sqlite_cases.cpp
std::vector<CaseDefinition> profile_cases();      // profile_cases.cpp
std::vector<CaseDefinition> time_travel_cases();  // time_travel_cases.cpp

}  // namespace conformance
