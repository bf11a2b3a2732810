#include "guest_code.h"

namespace microscope {

namespace {

// The longest instruction's worth of guest memory at `address` (less at its end).
size_t code_at(const GuestMemory& memory, uint64_t address, uint8_t (&bytes)[15]) {
  size_t length = 0;
  while (length < sizeof bytes && memory.contains(address + length, 1)) ++length;
  if (length) memory.read(address, bytes, length);
  return length;
}

}  // namespace

Instruction GuestCode::at(uint64_t address) const {
  uint8_t bytes[15] = {};
  const size_t length = code_at(sandbox_.memory(), address, bytes);
  return disassembler_.decode(bytes, length, address);
}

std::vector<int> GuestCode::written_registers(uint64_t address) const {
  uint8_t bytes[15] = {};
  const size_t length = code_at(sandbox_.memory(), address, bytes);
  return disassembler_.written_registers(bytes, length, address);
}

uint64_t GuestCode::before(uint64_t rip) const {
  const Symbol* function = sandbox_.function_at(rip - 1);
  if (!function) return 0;
  uint64_t at = function->address + sandbox_.layout().load_bias;
  while (at < rip) {
    const Instruction instruction = this->at(at);
    if (!instruction.size) return 0;
    if (at + instruction.size == rip) return at;
    at += instruction.size;
  }
  return 0;
}

bool GuestCode::in_sdk_thunk(uint64_t address) const {
  const Symbol* function = sandbox_.function_at(address);
  return function && function->name.rfind("ms__thunk_", 0) == 0;
}

ResolvedLine GuestCode::resolve_line(const std::string& file, int line) {
  ResolvedLine resolved = debug_info().lines().resolve(file, line);
  std::vector<uint64_t> own;
  for (uint64_t address : resolved.addresses) {
    if (!in_sdk_thunk(address)) own.push_back(address);
  }
  if (!own.empty()) resolved.addresses = std::move(own);
  // Where another line's statement also starts at an address (gcc schedules an inlined
  // line's first instruction there), a stop says that other line, as a step does: the
  // line's addresses are those whose statement is it, unless that leaves none.
  const LineTable& table = debug_info().lines();
  std::vector<uint64_t> stated;
  for (uint64_t address : resolved.addresses) {
    const LineRow* statement = table.statement_at(address);
    if (statement && table.files()[statement->file] == resolved.file && statement->line == resolved.line) {
      stated.push_back(address);
    }
  }
  if (!stated.empty()) resolved.addresses = std::move(stated);
  return resolved;
}

const DebugInfo& GuestCode::debug_info() {
  if (!debug_info_) debug_info_ = std::make_unique<DebugInfo>(sandbox_.image().file(), sandbox_.layout().load_bias);
  return *debug_info_;
}

TypeTable& GuestCode::types() {
  if (!types_) types_ = std::make_unique<TypeTable>(debug_info().dwarf());
  return *types_;
}

}  // namespace microscope
