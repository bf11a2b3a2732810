#include "debug_info.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <libelf.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace microscope {

namespace {

struct Evaluation {
  const GuestMemory& memory;
  const FrameState& frame;
  uint64_t cfa;
};

// Evaluates the few operations libdw gives for CFI rules: a register plus an offset, the
// CFA plus an offset, a load. `value` says whether the result is the register's value
// (a trailing DW_OP_stack_value) or the address it was saved at.
bool evaluate(const Dwarf_Op* ops, size_t count, const Evaluation& in, uint64_t* result, bool* value) {
  uint64_t stack[8];
  size_t depth = 0;
  *value = false;
  auto push = [&](uint64_t v) {
    if (depth == 8) return false;
    stack[depth++] = v;
    return true;
  };
  auto push_register = [&](uint64_t reg, uint64_t offset) {
    return reg < 17 && in.frame.has(int(reg)) && push(in.frame.gpr[reg] + offset);
  };
  for (size_t i = 0; i < count; ++i) {
    const Dwarf_Op& op = ops[i];
    const uint8_t atom = op.atom;
    if (atom >= DW_OP_breg0 && atom <= DW_OP_breg31) {
      if (!push_register(atom - DW_OP_breg0, op.number)) return false;
    } else if (atom >= DW_OP_lit0 && atom <= DW_OP_lit31) {
      if (!push(atom - DW_OP_lit0)) return false;
    } else {
      switch (atom) {
        case DW_OP_bregx:
          if (!push_register(op.number, op.number2)) return false;
          break;
        case DW_OP_call_frame_cfa:
          if (!push(in.cfa)) return false;
          break;
        case DW_OP_plus_uconst:
          if (!depth) return false;
          stack[depth - 1] += op.number;
          break;
        case DW_OP_consts:
        case DW_OP_constu:
          if (!push(op.number)) return false;
          break;
        case DW_OP_plus:
        case DW_OP_minus: {
          if (depth < 2) return false;
          const uint64_t b = stack[--depth];
          stack[depth - 1] = atom == DW_OP_plus ? stack[depth - 1] + b : stack[depth - 1] - b;
          break;
        }
        case DW_OP_deref:
          if (!depth || !in.memory.contains(stack[depth - 1], 8)) return false;
          in.memory.read(stack[depth - 1], &stack[depth - 1], 8);
          break;
        case DW_OP_stack_value: *value = true; break;
        default: return false;
      }
    }
  }
  if (!depth) return false;
  *result = stack[depth - 1];
  return true;
}

// The caller's value of `reg` by the frame's rule; false when the rule can't be followed
// (or says the register is lost: "undefined").
bool caller_register(Dwarf_Frame* frame, int reg, const Evaluation& in, uint64_t* out) {
  Dwarf_Op ops_mem[3];
  Dwarf_Op* ops = nullptr;
  size_t count = 0;
  if (dwarf_frame_register(frame, reg, ops_mem, &ops, &count) != 0) return false;
  if (count == 0) {
    // No rule. The psABI's callee-saved registers keep their value across a call unless
    // the CFI says where they went (libdw marks them "same value" only when it has the
    // ABI's initial rules, which .debug_frame read without an Ebl lacks); any other
    // register keeps it only by an explicit same-value rule (ops null).
    const bool callee_saved = reg == 3 || reg == 6 || (reg >= 12 && reg <= 15);
    if ((ops == nullptr || callee_saved) && in.frame.has(reg)) {
      *out = in.frame.gpr[reg];
      return true;
    }
    return false;  // undefined: lost in the call
  }
  uint64_t result;
  bool value;
  if (!evaluate(ops, count, in, &result, &value)) return false;
  if (value) {
    *out = result;
    return true;
  }
  if (!in.memory.contains(result, 8)) return false;
  in.memory.read(result, out, 8);
  return true;
}

}  // namespace

DebugInfo::DebugInfo(const std::vector<uint8_t>& file, uint64_t load_bias) : file_(file), load_bias_(load_bias) {
  elf_version(EV_CURRENT);
  Elf* elf = elf_memory(reinterpret_cast<char*>(file_.data()), file_.size());
  if (!elf) return;
  elf_ = elf;
  Dwarf* dwarf = dwarf_begin_elf(elf, DWARF_C_READ, nullptr);
  dwarf_ = dwarf;
  Dwarf_CFI* cfi = dwarf ? dwarf_getcfi(dwarf) : nullptr;  // .debug_frame
  if (!cfi) {
    cfi = dwarf_getcfi_elf(elf);  // .eh_frame
    cfi_from_elf_ = cfi != nullptr;
  }
  cfi_ = cfi;
}

DebugInfo::~DebugInfo() {
  for (auto& [address, frame] : frames_) std::free(frame);
  if (cfi_from_elf_) dwarf_cfi_end(static_cast<Dwarf_CFI*>(cfi_));
  if (dwarf_) dwarf_end(static_cast<Dwarf*>(dwarf_));
  if (elf_) elf_end(static_cast<Elf*>(elf_));
}

bool DebugInfo::line_at(uint64_t address, SourceLine* line) const {
  // The statement that starts here, if one does (of several rows at an address, that is
  // the line a debugger stops on); else the row that covers it.
  const LineRow* row = lines().statement_at(address);
  if (!row) row = lines().row_at(address);
  if (!row) return false;
  line->file = lines().files()[row->file];
  line->line = row->line;
  return true;
}

int DebugInfo::inline_depth(uint64_t address) const {
  if (!dwarf_) return 0;
  Dwarf_Die unit;
  const Dwarf_Addr linked = address - load_bias_;
  if (!dwarf_addrdie(static_cast<Dwarf*>(dwarf_), linked, &unit)) return 0;
  Dwarf_Die* scopes = nullptr;
  const int count = dwarf_getscopes(&unit, linked, &scopes);
  int depth = 0;
  for (int i = 0; i < count; ++i) depth += dwarf_tag(&scopes[i]) == DW_TAG_inlined_subroutine;
  std::free(scopes);
  return depth;
}

const LineTable& DebugInfo::lines() const {
  if (!lines_) lines_ = std::make_unique<LineTable>(dwarf_, load_bias_);
  return *lines_;
}

bool DebugInfo::unwind(const GuestMemory& memory, FrameState* frame, bool innermost, FrameState* caller) const {
  if (!cfi_) return false;
  const uint64_t pc = (innermost ? frame->rip() : frame->rip() - 1) - load_bias_;
  // The rules at a PC, found once: a sampling profiler unwinds the same few return
  // addresses thousands of times a second.
  auto found = frames_.find(pc);
  if (found == frames_.end()) {
    Dwarf_Frame* raw = nullptr;
    if (dwarf_cfi_addrframe(static_cast<Dwarf_CFI*>(cfi_), pc, &raw) != 0) raw = nullptr;
    if (frames_.size() >= kMaxCachedFrames) {
      for (auto& [address, cached] : frames_) std::free(cached);
      frames_.clear();
    }
    found = frames_.emplace(pc, raw).first;
  }
  Dwarf_Frame* raw = static_cast<Dwarf_Frame*>(found->second);
  if (!raw) return false;

  Dwarf_Op* ops = nullptr;
  size_t count = 0;
  if (dwarf_frame_cfa(raw, &ops, &count) != 0 || count == 0) return false;
  Evaluation in{memory, *frame, 0};
  bool value;
  if (!evaluate(ops, count, in, &in.cfa, &value)) return false;

  const int return_register = dwarf_frame_info(raw, nullptr, nullptr, nullptr);
  if (return_register < 0) return false;
  FrameState next;
  uint64_t rip;
  if (!caller_register(raw, return_register, in, &rip)) return false;
  next.set(FrameState::kRip, rip);
  next.set(FrameState::kRsp, in.cfa);
  for (int reg = 0; reg < 16; ++reg) {
    uint64_t v;
    if (reg != FrameState::kRsp && caller_register(raw, reg, in, &v)) next.set(reg, v);
  }
  frame->cfa = in.cfa;
  frame->has_cfa = true;
  *caller = next;
  return true;
}

}  // namespace microscope
