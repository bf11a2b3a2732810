/* The machine as the guest sees it: entry state, layout, and the Unicorn pitfalls. */
#include <microscope.h>

static uint64_t read_cr(int n) {
  uint64_t value = 0;
  switch (n) {
    case 0: __asm__ volatile("mov %%cr0, %0" : "=r"(value)); break;
    case 3: __asm__ volatile("mov %%cr3, %0" : "=r"(value)); break;
    case 4: __asm__ volatile("mov %%cr4, %0" : "=r"(value)); break;
  }
  return value;
}

MICROSCOPE_FN(u64, control_register, (u32, n)) { return read_cr((int)n); }

MICROSCOPE_FN(u64, efer) {
  uint32_t low, high;
  __asm__ volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(0xc0000080));
  return (uint64_t)high << 32 | low;
}

/* The x87 control word and MXCSR: 0x37f and 0x1f80, as after FNINIT and a reset. */
MICROSCOPE_FN(u32, x87_control) {
  uint16_t word;
  __asm__ volatile("fnstcw %0" : "=m"(word));
  return word;
}

MICROSCOPE_FN(u32, mxcsr) {
  uint32_t word;
  __asm__ volatile("stmxcsr %0" : "=m"(word));
  return word;
}

MICROSCOPE_FN(u64, rflags) {
  uint64_t flags;
  __asm__ volatile("pushfq; popq %0" : "=r"(flags));
  return flags;
}

MICROSCOPE_FN(u64, segment, (u32, n)) {
  uint16_t value = 0;
  switch (n) {
    case 0: __asm__ volatile("mov %%cs, %0" : "=r"(value)); break;
    case 1: __asm__ volatile("mov %%ss, %0" : "=r"(value)); break;
    case 2: __asm__ volatile("mov %%ds, %0" : "=r"(value)); break;
    case 3: __asm__ volatile("mov %%es, %0" : "=r"(value)); break;
    case 4: __asm__ volatile("mov %%fs, %0" : "=r"(value)); break;
    case 5: __asm__ volatile("mov %%gs, %0" : "=r"(value)); break;
  }
  return value;
}

/* RSP at the function's entry: the dispatcher jumps here with RSP = stack top - 8. */
MICROSCOPE_FN(u64, entry_rsp) { return (uint64_t)__builtin_frame_address(0) + 8; }

MICROSCOPE_FN(bytes, control_block) {
  return (ms_bytes){(const uint8_t *)ms_control_block(), sizeof(struct ms_control_block)};
}

MICROSCOPE_FN(u64, load, (u64, address)) { return *(volatile uint64_t *)address; }
MICROSCOPE_FN(void, store, (u64, address), (u64, value)) { *(volatile uint64_t *)address = value; }

/* Jumps to `address` (a `ret` is written there first when it is writable). */
MICROSCOPE_FN(u64, jump_to, (u64, address)) {
  uint64_t (*target)(void) = (uint64_t(*)(void))address;
  return target();
}

static uint8_t data_page[4096] __attribute__((aligned(4096)));
MICROSCOPE_FN(u64, data_address) {
  data_page[0] = 0xc3; /* ret */
  return (uint64_t)data_page;
}

/* ---- Unicorn 2.0.1: code the host rewrites keeps its stale translation ---- */

__attribute__((noinline, noipa)) static uint64_t value_code(void) { return 1; }
MICROSCOPE_FN(u64, value) { return value_code(); }
MICROSCOPE_FN(u64, value_code_address) { return (uint64_t)(uintptr_t)&value_code; }

/* Tries to rewrite value_code to return 2, clearing CR0.WP to write its read-only page:
 * the host refuses the store whatever CR0 says. */
MICROSCOPE_FN(u64, patch_value) {
  static const uint8_t code[] = {0xb8, 0x02, 0x00, 0x00, 0x00, 0xc3}; /* mov eax, 2; ret */
  const uint64_t cr0 = read_cr(0);
  __asm__ volatile("mov %0, %%cr0" : : "r"(cr0 & ~(1ull << 16)));
  memcpy((void *)(uintptr_t)&value_code, code, sizeof code);
  __asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
  return value_code();
}

/* SSE: gcc's double arithmetic. Needs CR4.OSFXSR on hardware. */
MICROSCOPE_FN(f64, sse_dot, (f64, a), (f64, b)) {
  volatile double x[4] = {a, b, a * 2, b * 2};
  return x[0] * x[1] + x[2] * x[3];
}

MICROSCOPE_FN(u64, divide_u64, (u64, a), (u64, b)) {
  uint64_t result;
  __asm__("xor %%edx, %%edx; divq %2" : "=a"(result) : "a"(a), "r"(b) : "rdx", "cc");
  return result;
}

/* ---- State across calls ---- */

static uint64_t count;
MICROSCOPE_FN(u64, counter) { return ++count; }

/* Writes one byte into each of `pages` heap pages; returns the first page's address. */
MICROSCOPE_FN(u64, touch_pages, (u32, pages)) {
  uint8_t *heap = (uint8_t *)((ms_control_block()->heap_base + 4095) & ~4095ull) + 64 * 4096;
  for (uint32_t i = 0; i < pages; ++i) heap[i * 4096 + 100] = (uint8_t)(i + 1);
  return (uint64_t)heap;
}

MICROSCOPE_FN(u64, recurse, (u32, depth)) {
  volatile uint8_t frame[256];
  frame[0] = (uint8_t)depth;
  if (depth == 0) return frame[0];
  return recurse(depth - 1) + frame[0];
}

MICROSCOPE_FN(u64, heap_free) { return ms_heap_free(); }
