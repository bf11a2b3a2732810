#include "harness.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "../../../../native/engine/core/errors.h"

namespace conformance {

namespace {

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\')
      out += '\\', out += char(c);
    else if (c < 0x20) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", c);
      out += escape;
    } else {
      out += char(c);
    }
  }
  return out + "\"";
}

}  // namespace

std::string text_of(const Value& value) {
  switch (value.type) {
    case Type::Void: return "void";
    case Type::I32:
    case Type::I64: return std::to_string(value.i64);
    case Type::U32:
    case Type::U64: return std::to_string(value.u64);
    case Type::Bool: return value.u64 ? "true" : "false";
    case Type::F64: return std::to_string(value.f64);
    case Type::Str: return value.data;
    case Type::Bytes: {
      static const char digits[] = "0123456789abcdef";
      std::string hex;
      for (unsigned char c : value.data) hex += digits[c >> 4], hex += digits[c & 15];
      return hex;
    }
  }
  return "?";
}

std::string describe(const CallOutcome& outcome) {
  switch (outcome.kind) {
    case OutcomeKind::Returned: return "return " + text_of(outcome.value);
    case OutcomeKind::Faulted: return "fault " + outcome.message;
    default: return std::string(outcome_kind_name(outcome.kind)) + " " + outcome.message;
  }
}

std::unique_ptr<Sandbox> Case::sandbox(const std::string& guest, SandboxOptions options) {
  std::ifstream file;
  for (size_t start = 0; start <= context_.guests.size() && !file.is_open();) {
    const size_t end = std::min(context_.guests.find(':', start), context_.guests.size());
    file.open(context_.guests.substr(start, end - start) + "/" + guest + ".elf", std::ios::binary);
    start = end + 1;
  }
  if (!file.is_open()) throw usage_error("no " + guest + ".elf in " + context_.guests);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)), {});
  options.backend = context_.backend;
  if (!options.timeout_ns) options.timeout_ns = 10'000'000'000;
  auto box = std::make_unique<Sandbox>(std::make_shared<const ElfImage>(ElfImage::parse(std::move(bytes))), options,
                                       context_.host);
  const CallOutcome init = box->init();
  expect(init.kind == OutcomeKind::Returned, guest + " initialises (" + describe(init) + ")");
  expect_equal(guest + " runs on", context_.backend, box->backend_name());
  return box;
}

CallOutcome Case::call(Sandbox& sandbox, const std::string& function, std::vector<Value> args, CallOptions options) {
  // MICROSCOPE_CONFORMANCE_TRACE=1: each call on stderr before it runs, to see what hung or crashed.
  static const bool trace = std::getenv("MICROSCOPE_CONFORMANCE_TRACE") != nullptr;
  if (trace) {
    std::string line = name_ + ": " + function + "(";
    for (size_t i = 0; i < args.size(); ++i) line += (i ? ", " : "") + text_of(args[i]);
    std::fprintf(stderr, "%s)%s\n", line.c_str(), options.restore ? "" : " without restore");
  }
  const int index = sandbox.find_function(function);
  if (index < 0) throw usage_error("the guest has no function " + function);
  return sandbox.call(size_t(index), args, options);
}

void Case::expect(bool condition, const std::string& what) {
  if (!condition) failures_.push_back(what);
}

void Case::expect_equal(const std::string& what, const std::string& expected, const std::string& actual) {
  if (expected != actual) failures_.push_back(what + ": expected " + expected + ", got " + actual);
}

void Case::expect_value(const CallOutcome& outcome, const std::string& expected) {
  expect_equal("the result", "return " + expected, describe(outcome));
}

void Case::expect_fault(const CallOutcome& outcome, const std::string& vector, const std::string& symbol_prefix) {
  if (outcome.kind != OutcomeKind::Faulted) {
    failures_.push_back("expected a fault " + vector + ", got " + describe(outcome));
    return;
  }
  expect_equal("the vector", vector, vector_name(outcome.fault.vector));
  expect(outcome.fault_symbol.rfind(symbol_prefix, 0) == 0,
         "the fault's symbol starts with " + symbol_prefix + ": " + outcome.fault_symbol);
}

void Case::record(const std::string& label, const CallOutcome& outcome) {
  std::string json =
      "{\"case\":" + json_string(name_ + "/" + label) + ",\"kind\":" + json_string(outcome_kind_name(outcome.kind));
  if (outcome.kind == OutcomeKind::Returned) json += ",\"value\":" + json_string(text_of(outcome.value));
  if (outcome.kind == OutcomeKind::Faulted) {
    json += ",\"vector\":" + json_string(vector_name(outcome.fault.vector)) +
            ",\"symbol\":" + json_string(outcome.fault_symbol);
    if (outcome.fault.has_cr2) json += ",\"cr2\":" + json_string(hex(outcome.fault.cr2));
  }
  if (outcome.kind == OutcomeKind::Aborted) json += ",\"code\":" + std::to_string(outcome.abort_code);
  if (outcome.kind != OutcomeKind::Returned && outcome.kind != OutcomeKind::Faulted) {
    json += ",\"message\":" + json_string(outcome.message);
  }
  if (!outcome.output.empty()) json += ",\"output\":" + json_string(outcome.output);
  records_.push_back(json + "}");
}

void Case::record_fields(const std::string& label, const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string json = "{\"case\":" + json_string(name_ + "/" + label);
  for (const auto& [name, value] : fields) json += "," + json_string(name) + ":" + json_string(value);
  records_.push_back(json + "}");
}

uint64_t symbol(Case& c, Sandbox& box, const std::string& name) {
  uint64_t address = 0;
  c.expect(box.find_symbol(name, &address), "the guest has a symbol " + name);
  return address;
}

size_t function(Sandbox& box, const std::string& name) { return size_t(box.find_function(name)); }

}  // namespace conformance
