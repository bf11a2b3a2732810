// The bundled SQLite guest (native/sqlite/) on both backends: its JSON rows, an error as a
// guest abort with SQLite's code and message, a table of 10,000 rows built and aggregated,
// and an out-of-memory that ends one call and not the next. Every outcome is recorded, so
// the differential run holds the backends to the same answers (test/native/sqlite/ checks
// the guest in detail, and against SQLite on the host).
#include "harness.h"

namespace conformance {

namespace {

void sqlite(Case& c) {
  SandboxOptions options;
  options.layout.memory_size = 64 << 20;
  options.timeout_ns = 0;
  auto box = c.sandbox("sqlite", options);
  const auto exec = [&](const std::string& label, const std::string& sql) {
    const CallOutcome outcome = c.call(*box, "exec", {Value::of_str(sql)});
    c.record(label, outcome);
    return outcome;
  };
  const CallOutcome version = c.call(*box, "version");
  c.record("version", version);
  c.expect(version.kind == OutcomeKind::Returned && version.value.data.rfind("3.", 0) == 0,
           "SQLite 3: " + describe(version));
  c.expect_value(exec("select", "select 1 + 1 as two, 'x' || char(10), x'00ff', 9007199254740993, 0.1"),
                 R"j({"columns":["two","'x' || char(10)","x'00ff'","9007199254740993","0.1"],)j"
                 R"j("rows":[[2,"x\n","00ff","9007199254740993",0.1]],"changes":0})j");
  c.expect_value(exec("rows",
                      "create table t(id integer primary key, name text, value real);"
                      "with recursive n(x) as (select 1 union all select x + 1 from n where x < 10000) "
                      "insert into t select x, 'row ' || x, x * 0.25 from n;"
                      "select count(*), sum(value), max(name), total(length(name)) from t"),
                 R"j({"columns":["count(*)","sum(value)","max(name)","total(length(name))"],)j"
                 R"j("rows":[[10000,12501250,"row 9999",78894]],"changes":0})j");
  const CallOutcome syntax = exec("syntax error", "selec 1");
  c.expect(
      syntax.kind == OutcomeKind::Aborted && syntax.abort_code == 1 && syntax.message == "near \"selec\": syntax error",
      "a syntax error is a guest abort with SQLITE_ERROR and its message: " + describe(syntax));
  const CallOutcome oom = exec("out of memory", "select length(zeroblob(100000000) || x'00')j");
  c.expect(oom.kind == OutcomeKind::Aborted && oom.abort_code == 7 && oom.message == "out of memory",
           "an allocation past the heap is SQLITE_NOMEM: " + describe(oom));
  c.expect_value(exec("after", "select 6 * 7"), R"j({"columns":["6 * 7"],"rows":[[42]],"changes":0})j");
}

}  // namespace

std::vector<CaseDefinition> sqlite_cases() { return {{"SQLite", sqlite}}; }

}  // namespace conformance
