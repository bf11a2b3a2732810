#include "coverage.h"

#include <algorithm>

#include "../errors.h"
#include "block_code.h"

namespace microscope {

CoverageRecorder::CoverageRecorder(Sandbox& sandbox, const DebugInfo& debug_info)
    : sandbox_(sandbox), debug_info_(debug_info) {
  exact_ = sandbox_.backend().observe_blocks(this);
  if (exact_)
    sandbox_.backend().observe_blocks(nullptr);  // only while a call runs
  else
    arm();
}

CoverageRecorder::~CoverageRecorder() {
  while (!armed_.empty()) disarm(armed_.begin()->first);
}

void CoverageRecorder::on_block(uint64_t address, uint32_t size, Backend& /*backend*/) { ++blocks_[address][size]; }

// Every statement's start and every function's entry, in executable guest memory.
void CoverageRecorder::arm() {
  std::vector<uint64_t> addresses;
  for (const LineRow& row : debug_info_.lines().rows()) {
    if (row.is_stmt && !row.end_sequence) addresses.push_back(row.address);
  }
  for (const Symbol& symbol : sandbox_.image().symbols()) {
    if (symbol.function) addresses.push_back(symbol.address + sandbox_.layout().load_bias);
  }
  GuestMemory& memory = sandbox_.memory();
  for (uint64_t address : addresses) {
    const Region* region = sandbox_.layout().region_at(address);
    if (!region || !(region->access & kExecute) || armed_.count(address) || !memory.contains(address, 1)) continue;
    uint8_t byte = 0;
    memory.read(address, &byte, 1);
    armed_.emplace(address, byte);
  }
}

// The int3s of the statements not hit yet, into the code: again before each call, whose
// restore puts back the pages the host wrote them into.
void CoverageRecorder::insert() {
  if (armed_.empty()) return;
  const uint8_t int3 = 0xcc;
  for (const auto& [address, byte] : armed_) sandbox_.memory().write(address, &int3, 1);
  sandbox_.backend().code_rewritten(armed_.begin()->first, armed_.rbegin()->first + 1);
}

void CoverageRecorder::disarm(uint64_t address) {
  const auto it = armed_.find(address);
  if (it == armed_.end()) return;
  sandbox_.memory().write(address, &it->second, 1);
  sandbox_.backend().code_rewritten(address, address + 1);
  armed_.erase(it);
}

CallOutcome CoverageRecorder::call(size_t function, const std::vector<Value>& args) {
  ++calls_;
  if (exact_) {
    sandbox_.backend().observe_blocks(this);
    CallOutcome outcome;
    try {
      outcome = sandbox_.call(function, args);
    } catch (...) {
      sandbox_.backend().observe_blocks(nullptr);
      throw;
    }
    sandbox_.backend().observe_blocks(nullptr);
    return outcome;
  }
  DebugControl control;
  control.breakpoints = true;
  sandbox_.backend().set_debug(control);
  sandbox_.begin_call(function, args, CallOptions{});
  insert();
  for (;;) {
    const Sandbox::Step step = sandbox_.run();
    if (step != Sandbox::Step::Paused) break;
    const uint64_t rip = sandbox_.backend().registers().rip;
    if (sandbox_.paused_by() == ExitKind::Breakpoint && armed_.count(rip)) {
      disarm(rip);
      hit_[rip] = 1;
      continue;
    }
    // The guest's own int3 (or a pause nobody asked for): what it would be without coverage.
    Fault fault;
    fault.vector = 3;
    fault.rip = rip;
    fault.detail = "the guest's own int3";
    sandbox_.fail_paused_call(fault);
    break;
  }
  CallOutcome outcome = sandbox_.finish();
  sandbox_.backend().set_debug(DebugControl{});
  return outcome;
}

Coverage CoverageRecorder::result() const {
  Coverage coverage;
  coverage.exact = exact_;
  coverage.calls = calls_;
  if (exact_) {
    Disassembler disassembler;
    for (const auto& [address, sizes] : blocks_) {
      for (const auto& [size, count] : sizes) {
        for (uint64_t instruction : block_instructions(sandbox_.memory(), disassembler, address, size))
          coverage.instructions[instruction] += count;
      }
    }
  } else {
    coverage.instructions = hit_;
  }
  const auto count_at = [&](uint64_t address) {
    const auto it = coverage.instructions.find(address);
    return it == coverage.instructions.end() ? uint64_t(0) : it->second;
  };
  const LineTable& table = debug_info_.lines();
  std::vector<std::map<int, uint64_t>> lines(table.files().size());
  for (const LineRow& row : table.rows()) {
    if (!row.is_stmt || row.end_sequence || row.line <= 0) continue;
    uint64_t& line = lines[row.file][row.line];
    line = std::max(line, count_at(row.address));
  }
  std::vector<std::vector<CoverageFunction>> functions(table.files().size());
  for (const Symbol& symbol : sandbox_.image().symbols()) {
    if (!symbol.function) continue;
    const uint64_t address = symbol.address + sandbox_.layout().load_bias;
    const LineRow* row = table.row_at(address);
    if (!row) continue;  // code with no line (the SDK's assembly) is in no file
    functions[row->file].push_back(CoverageFunction{symbol.name, row->line, count_at(address)});
  }
  for (size_t file = 0; file < table.files().size(); ++file) {
    if (lines[file].empty()) continue;
    CoverageFile out{table.files()[file], {}, std::move(functions[file])};
    for (const auto& [line, count] : lines[file]) out.lines.push_back(CoverageLine{line, count});
    std::sort(out.functions.begin(), out.functions.end(),
              [](const CoverageFunction& a, const CoverageFunction& b) { return a.line < b.line; });
    coverage.files.push_back(std::move(out));
  }
  return coverage;
}

}  // namespace microscope
