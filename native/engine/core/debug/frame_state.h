// One stack frame's registers, numbered as DWARF numbers them for x86-64 (0 rax, 1 rdx,
// 2 rcx, 3 rbx, 4 rsi, 5 rdi, 6 rbp, 7 rsp, 8-15 r8-r15, 16 the return address (RIP),
// 17-32 xmm0-15), with which of them are known. The running frame knows them all. A
// caller knows what the unwinder recovered: RIP, RSP, and the callee-saved registers its
// callees kept (by CFI; RBP also by frame pointers); the caller-saved ones are lost.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "../backend.h"

namespace microscope {

struct FrameState {
  static constexpr int kRbp = 6, kRsp = 7, kRip = 16, kXmm0 = 17, kCount = 33;
  static constexpr int kRflags = 49;  // the psABI's DWARF number, outside kCount

  // "rax" ... "r15", "rip", "xmm0" ... "xmm15", "rflags" for a DWARF register number.
  static std::string register_name(int reg) {
    static const char* const names[17] = {"rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp", "r8",
                                          "r9",  "r10", "r11", "r12", "r13", "r14", "r15", "rip"};
    if (reg >= 0 && reg < 17) return names[reg];
    if (reg >= kXmm0 && reg < kXmm0 + 16) return "xmm" + std::to_string(reg - kXmm0);
    if (reg == kRflags) return "rflags";
    return "DWARF register " + std::to_string(reg);
  }

  uint64_t gpr[17] = {};
  uint8_t xmm[16][16] = {};
  uint64_t known = 0;  // bit n: register n
  uint64_t rflags = 0;
  bool has_rflags = false;  // the running frame's only
  // The canonical frame address (the caller's RSP before its call), where known.
  uint64_t cfa = 0;
  bool has_cfa = false;

  bool has(int reg) const { return reg >= 0 && reg < kCount && (known >> reg & 1); }
  void set(int reg, uint64_t value) {
    gpr[reg] = value;
    known |= uint64_t(1) << reg;
  }
  uint64_t rip() const { return gpr[kRip]; }
  uint64_t rsp() const { return gpr[kRsp]; }
  uint64_t rbp() const { return gpr[kRbp]; }

  // The running frame: every register.
  static FrameState running(const Registers& r, const SseRegisters& sse) {
    FrameState s;
    const uint64_t values[17] = {r.rax, r.rdx, r.rcx, r.rbx, r.rsi, r.rdi, r.rbp, r.rsp, r.r8,
                                 r.r9,  r.r10, r.r11, r.r12, r.r13, r.r14, r.r15, r.rip};
    std::memcpy(s.gpr, values, sizeof values);
    std::memcpy(s.xmm, sse.xmm, sizeof s.xmm);
    s.known = (uint64_t(1) << kCount) - 1;
    s.rflags = r.rflags;
    s.has_rflags = true;
    return s;
  }
  // Only what a frame-pointer walk needs.
  static FrameState minimal(uint64_t rip, uint64_t rsp, uint64_t rbp) {
    FrameState s;
    s.set(kRip, rip);
    s.set(kRsp, rsp);
    s.set(kRbp, rbp);
    return s;
  }
};

}  // namespace microscope
