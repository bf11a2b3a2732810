// The conformance suite: one corpus of guests, every outcome checked, on one backend.
//
//   conformance [--backend emulated|kvm] [--guests DIR[:DIR...]] [--records FILE|-] [--case NAME]
//
// Prints a line per case and "conformance (BACKEND): N passed, M failed"; exits 0 when all
// passed. --records writes each recorded outcome as a JSON line (to stdout, prefixed
// "record ", with -), for the differential run across backends. --case runs one case.
#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>

#include "../../../../native/engine/core/errors.h"
#include "harness.h"

namespace conformance {

namespace {

// The host side of host_calls.elf: each call is logged as "name(arguments)".
class SuiteHostFunctions : public HostFunctions {
 public:
  explicit SuiteHostFunctions(std::vector<std::string>* log) : log_(log) {
    define("double_it", Type::I64, {Type::I64});
    define("next", Type::U64, {Type::U32});
    define("log", Type::Void, {Type::Str});
    define("shout", Type::Str, {Type::Str});
    define("reverse", Type::Bytes, {Type::Bytes});
    define("half", Type::F64, {Type::F64});
    define("all", Type::I64,
           {Type::I32, Type::U32, Type::I64, Type::U64, Type::F64, Type::Bool, Type::Str, Type::Bytes});
    define("fails", Type::Void, {});
    define("count", Type::U64, {Type::U64});  // not logged: hostile.c calls it millions of times
    define("tick", Type::U64, {});            // something new each call: time_travel.c
  }

  const Signature* find(const std::string& name) const override {
    for (const Signature& signature : functions_) {
      if (signature.name == name) return &signature;
    }
    return nullptr;
  }

  HostReply call(const Signature& function, std::vector<Value>& args, bool) override {
    if (function.name == "count") return HostReply{HostReply::Done, Value::of_u64(args[0].u64 + 1), {}};
    if (function.name == "tick") return HostReply{HostReply::Done, Value::of_u64(ticks_.fetch_add(7) + 100), {}};
    std::string entry = function.name + "(";
    for (size_t i = 0; i < args.size(); ++i) entry += (i ? "," : "") + text_of(args[i]);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      log_->push_back(entry + ")");
    }
    HostReply reply;
    const std::string& name = function.name;
    if (name == "double_it")
      reply.value = Value::of_i64(args[0].i64 * 2);
    else if (name == "next")
      reply.value = Value::of_u64(args[0].u64 % 7);
    else if (name == "shout") {
      std::string text = args[0].data;
      for (char& ch : text) ch = char(std::toupper(static_cast<unsigned char>(ch)));
      reply.value = Value::of_str(text + "!");
    } else if (name == "reverse")
      reply.value = Value::of_bytes(std::string(args[0].data.rbegin(), args[0].data.rend()));
    else if (name == "half")
      reply.value = Value::of_f64(args[0].f64 / 2);
    else if (name == "all")
      reply.value = Value::of_i64(7);
    else if (name == "fails") {
      reply.status = HostReply::Failed;
      reply.error = "fails: the disk is on fire";
    }
    return reply;
  }

  HostReply wait_pending() override { return HostReply{HostReply::Failed, {}, "nothing is pending"}; }
  void interrupt() override {}

 private:
  void define(const char* name, Type returns, std::vector<Type> params) {
    functions_.push_back({name, returns, std::move(params), {}});
  }

  std::vector<Signature> functions_;
  std::vector<std::string>* log_;
  std::mutex mutex_;
  std::atomic<uint64_t> ticks_{0};
};

}  // namespace

int run(int argc, char** argv) {
  std::string backend = "emulated", guests = "dist/guests:dist/test-guests", records_path, only;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw usage_error(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--backend")
      backend = value();
    else if (arg == "--guests")
      guests = value();
    else if (arg == "--records")
      records_path = value();
    else if (arg == "--case")
      only = value();
    else
      throw usage_error("unknown argument " + arg);
  }

  std::vector<std::string> host_log;
  SuiteHostFunctions host(&host_log);
  const Context context{backend, guests, &host, &host_log};
  std::ofstream records_file;
  if (!records_path.empty() && records_path != "-") records_file.open(records_path);

  int passed = 0, failed = 0;
  for (const CaseDefinition& definition : all_cases()) {
    if (!only.empty() && definition.name != only) continue;
    Case c(definition.name, context);
    try {
      definition.run(c);
    } catch (const std::exception& error) {
      c.expect(false, std::string("threw: ") + error.what());
    }
    if (c.failures().empty()) {
      ++passed;
      std::cout << "ok   " << c.name() << "\n";
    } else {
      ++failed;
      std::cout << "FAIL " << c.name() << "\n";
      for (const std::string& failure : c.failures()) std::cout << "       " << failure << "\n";
    }
    for (const std::string& record : c.records()) {
      if (records_path == "-")
        std::cout << "record " << record << "\n";
      else if (records_file)
        records_file << record << "\n";
    }
  }
  std::cout << "conformance (" << backend << "): " << passed << " passed, " << failed << " failed" << std::endl;
  return failed ? 1 : 0;
}

}  // namespace conformance

int main(int argc, char** argv) {
  try {
    return conformance::run(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "conformance: " << error.what() << "\n";
    return 2;
  }
}
