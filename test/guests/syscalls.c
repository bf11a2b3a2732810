/* SYSCALL as the guest sees it on both backends (native/README.md, "System calls"): with
 * no handler of its own the engine's stub answers -ENOSYS; with LSTAR pointed at its own
 * handler the guest gets there with RCX, R11 and RFLAGS as the CPU sets them. */
#include <microscope.h>

/* What the handler saw, for the call to check and return. */
static volatile uint64_t seen_rcx, seen_r11, seen_rflags;

/* The guest's own handler: rax = rdi + rsi, then back as a kernel at CPL 0 would return. */
__asm__(
    ".text\n"
    "sum_handler:\n"
    "  mov %rcx, seen_rcx(%rip)\n"
    "  mov %r11, seen_r11(%rip)\n"
    "  lea -128(%rsp), %rsp\n"
    "  pushfq\n"
    "  pop %rax\n"
    "  mov %rax, seen_rflags(%rip)\n"
    "  lea (%rdi,%rsi), %rax\n"
    "  push %r11\n"
    "  popfq\n"
    "  lea 128(%rsp), %rsp\n"
    "  jmp *%rcx\n");
extern char sum_handler[];

static void write_msr(uint32_t msr, uint64_t value) {
  __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
}

static uint64_t read_msr(uint32_t msr) {
  uint32_t low, high;
  __asm__ volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
  return (uint64_t)high << 32 | low;
}

/* getpid with no handler: -ENOSYS (-38), and the registers a syscall keeps, kept. */
MICROSCOPE_FN(i64, without_handler) {
  long result;
  register long r12 __asm__("r12") = 0x1234;
  __asm__ volatile("syscall" : "=a"(result), "+r"(r12) : "a"(39L) : "rcx", "r11", "memory");
  return r12 == 0x1234 ? result : -1;
}

MICROSCOPE_FN(u64, lstar) { return read_msr(0xc0000082); }
MICROSCOPE_FN(u64, star) { return read_msr(0xc0000081); }
MICROSCOPE_FN(u64, sfmask) { return read_msr(0xc0000084); }

/* With the guest's own handler: its sum, RCX the instruction after the syscall, R11 the
 * flags before it (DF set), and DF clear in the handler (SFMASK). 1 when all hold. */
MICROSCOPE_FN(i64, with_handler, (i64, a), (i64, b)) {
  write_msr(0xc0000082, (uint64_t)(uintptr_t)sum_handler);
  long result;
  uint64_t after, flags_before;
  __asm__ volatile(
      "std\n"
      "pushfq\n"
      "pop %[flags]\n"
      "syscall\n"
      "1: lea 1b(%%rip), %[after]\n"
      "cld\n"
      : "=a"(result), [after] "=r"(after), [flags] "=&r"(flags_before)
      : "D"(a), "S"(b)
      : "rcx", "r11", "memory");
  if (seen_rcx != after) return -1;
  if (seen_r11 != flags_before) return -2;
  if (seen_rflags & 0x400) return -3; /* DF is masked */
  return result;
}
