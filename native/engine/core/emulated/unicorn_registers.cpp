#include "unicorn_registers.h"

#include <cstring>
#include <utility>

#include "../errors.h"
#include "../layout.h"

namespace microscope {

namespace {
constexpr uint32_t kEferMsr = 0xc0000080;
}  // namespace

void unicorn_check(uc_err err, const char* what) {
  if (err != UC_ERR_OK)
    throw EngineError(ErrorKind::Internal, std::string("unicorn: ") + what + ": " + uc_strerror(err));
}

Registers read_registers(uc_engine* uc) {
  Registers r{};
  int ids[] = {UC_X86_REG_RAX, UC_X86_REG_RBX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RSI, UC_X86_REG_RDI,
               UC_X86_REG_RBP, UC_X86_REG_RSP, UC_X86_REG_R8,  UC_X86_REG_R9,  UC_X86_REG_R10, UC_X86_REG_R11,
               UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15, UC_X86_REG_RIP, UC_X86_REG_RFLAGS};
  uint64_t* fields[] = {&r.rax, &r.rbx, &r.rcx, &r.rdx, &r.rsi, &r.rdi, &r.rbp, &r.rsp, &r.r8,
                        &r.r9,  &r.r10, &r.r11, &r.r12, &r.r13, &r.r14, &r.r15, &r.rip, &r.rflags};
  uc_reg_read_batch(uc, ids, reinterpret_cast<void**>(fields), 18);
  return r;
}

void write_registers(uc_engine* uc, const Registers& r) {
  int ids[] = {UC_X86_REG_RAX, UC_X86_REG_RBX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RSI, UC_X86_REG_RDI,
               UC_X86_REG_RBP, UC_X86_REG_RSP, UC_X86_REG_R8,  UC_X86_REG_R9,  UC_X86_REG_R10, UC_X86_REG_R11,
               UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15, UC_X86_REG_RIP, UC_X86_REG_RFLAGS};
  const uint64_t* fields[] = {&r.rax, &r.rbx, &r.rcx, &r.rdx, &r.rsi, &r.rdi, &r.rbp, &r.rsp, &r.r8,
                              &r.r9,  &r.r10, &r.r11, &r.r12, &r.r13, &r.r14, &r.r15, &r.rip, &r.rflags};
  uc_reg_write_batch(uc, ids, const_cast<void* const*>(reinterpret_cast<const void* const*>(fields)), 18);
}

SpecialRegisters read_special_registers(uc_engine* uc) {
  SpecialRegisters s{};
  auto selector = [&](int id) {
    uint64_t value = 0;
    uc_reg_read(uc, id, &value);
    return SegmentRegister{uint16_t(value), 0, 0};
  };
  s.cs = selector(UC_X86_REG_CS);
  s.ds = selector(UC_X86_REG_DS);
  s.es = selector(UC_X86_REG_ES);
  s.fs = selector(UC_X86_REG_FS);
  s.gs = selector(UC_X86_REG_GS);
  s.ss = selector(UC_X86_REG_SS);
  uc_reg_read(uc, UC_X86_REG_FS_BASE, &s.fs.base);
  uc_reg_read(uc, UC_X86_REG_GS_BASE, &s.gs.base);
  uc_x86_mmr table{};
  uc_reg_read(uc, UC_X86_REG_TR, &table);
  s.tr = {table.selector, table.base, table.limit};
  uc_reg_read(uc, UC_X86_REG_GDTR, &table);
  s.gdt = {table.base, uint16_t(table.limit)};
  uc_reg_read(uc, UC_X86_REG_IDTR, &table);
  s.idt = {table.base, uint16_t(table.limit)};
  uc_reg_read(uc, UC_X86_REG_CR0, &s.cr0);
  uc_reg_read(uc, UC_X86_REG_CR2, &s.cr2);
  uc_reg_read(uc, UC_X86_REG_CR3, &s.cr3);
  uc_reg_read(uc, UC_X86_REG_CR4, &s.cr4);
  uc_x86_msr efer{kEferMsr, 0};
  uc_reg_read(uc, UC_X86_REG_MSR, &efer);
  s.efer = efer.value;
  return s;
}

void write_special_registers(uc_engine* uc, const SpecialRegisters& s) {
  uc_x86_mmr gdt{0, s.gdt.base, s.gdt.limit, 0}, idt{0, s.idt.base, s.idt.limit, 0};
  unicorn_check(uc_reg_write(uc, UC_X86_REG_GDTR, &gdt), "set GDTR");
  unicorn_check(uc_reg_write(uc, UC_X86_REG_IDTR, &idt), "set IDTR");
  uc_x86_msr efer{kEferMsr, s.efer};
  unicorn_check(uc_reg_write(uc, UC_X86_REG_MSR, &efer), "set EFER");
  const std::pair<int, const uint64_t*> controls[] = {
      {UC_X86_REG_CR3, &s.cr3}, {UC_X86_REG_CR4, &s.cr4}, {UC_X86_REG_CR0, &s.cr0}, {UC_X86_REG_CR2, &s.cr2}};
  for (const auto& control : controls)
    unicorn_check(uc_reg_write(uc, control.first, control.second), "set a control register");
  const std::pair<int, const SegmentRegister*> segments[] = {{UC_X86_REG_CS, &s.cs}, {UC_X86_REG_SS, &s.ss},
                                                             {UC_X86_REG_DS, &s.ds}, {UC_X86_REG_ES, &s.es},
                                                             {UC_X86_REG_FS, &s.fs}, {UC_X86_REG_GS, &s.gs}};
  for (const auto& segment : segments) {
    const uint64_t selector = segment.second->selector;
    unicorn_check(uc_reg_write(uc, segment.first, &selector), "set a segment selector");
  }
  unicorn_check(uc_reg_write(uc, UC_X86_REG_FS_BASE, &s.fs.base), "set FS base");
  unicorn_check(uc_reg_write(uc, UC_X86_REG_GS_BASE, &s.gs.base), "set GS base");
}

void write_entry_state(uc_engine* uc) {
  // Order matters: the GDT must be in place before the segment selectors are loaded.
  uc_x86_mmr gdt{0, MS_GDT_ADDRESS, uint32_t(kGdtLimit), 0};
  unicorn_check(uc_reg_write(uc, UC_X86_REG_GDTR, &gdt), "set GDTR");
  uc_x86_mmr idt{0, MS_IDT_ADDRESS, uint32_t(kIdtLimit), 0};
  unicorn_check(uc_reg_write(uc, UC_X86_REG_IDTR, &idt), "set IDTR");
  uc_x86_msr efer{kEferMsr, kEntryEfer};
  unicorn_check(uc_reg_write(uc, UC_X86_REG_MSR, &efer), "set EFER");
  for (const uc_x86_msr& msr :
       {uc_x86_msr{kStarMsr, kEntryStar}, uc_x86_msr{kLstarMsr, kEntryLstar}, uc_x86_msr{kSfmaskMsr, kEntrySfmask}}) {
    unicorn_check(uc_reg_write(uc, UC_X86_REG_MSR, &msr), "set the SYSCALL MSRs");
  }
  // x87 and SSE as after FNINIT and a reset, as on KVM: Unicorn 2.0.1 starts with both
  // control words 0, so x87 arithmetic would round to single precision (musl's printf and
  // strtod work in long double) and every exception would be unmasked.
  const uint16_t fpcw = 0x37f;
  unicorn_check(uc_reg_write(uc, UC_X86_REG_FPCW, &fpcw), "set the x87 control word");
  const uint32_t mxcsr = 0x1f80;
  unicorn_check(uc_reg_write(uc, UC_X86_REG_MXCSR, &mxcsr), "set MXCSR");
  const uint64_t cr3 = MS_PAGE_TABLES_ADDRESS, cr4 = kEntryCr4, cr0 = kEntryCr0, rflags = kEntryRflags;
  unicorn_check(uc_reg_write(uc, UC_X86_REG_CR3, &cr3), "set CR3");
  unicorn_check(uc_reg_write(uc, UC_X86_REG_CR4, &cr4), "set CR4");
  unicorn_check(uc_reg_write(uc, UC_X86_REG_CR0, &cr0), "set CR0");
  unicorn_check(uc_reg_write(uc, UC_X86_REG_RFLAGS, &rflags), "set RFLAGS");
  const uint64_t code = kCodeSelector, data = kDataSelector;
  unicorn_check(uc_reg_write(uc, UC_X86_REG_CS, &code), "set CS");
  unicorn_check(uc_reg_write(uc, UC_X86_REG_SS, &data), "set SS");
  unicorn_check(uc_reg_write(uc, UC_X86_REG_DS, &data), "set DS");
  unicorn_check(uc_reg_write(uc, UC_X86_REG_ES, &data), "set ES");
  unicorn_check(uc_reg_write(uc, UC_X86_REG_FS, &data), "set FS");
  unicorn_check(uc_reg_write(uc, UC_X86_REG_GS, &data), "set GS");
}

bool in_64bit_code(uc_engine* uc, const GuestMemory& memory) {
  uint64_t cs = 0;
  uc_x86_mmr gdtr{};
  uc_reg_read(uc, UC_X86_REG_CS, &cs);
  uc_reg_read(uc, UC_X86_REG_GDTR, &gdtr);
  const uint8_t* descriptor = memory.range(gdtr.base + (cs & ~7ull), 8);
  if (!descriptor || (cs & 4)) return true;  // (an LDT selector: not worth reading the LDT for)
  uint64_t value;
  std::memcpy(&value, descriptor, 8);
  return (value >> 53) & 1;
}

}  // namespace microscope
