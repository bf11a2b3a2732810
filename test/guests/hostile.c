/* Guests that break the ABI on purpose: the host must report each and carry on. */
#include <microscope.h>

static struct ms_frame *output(void) { return (struct ms_frame *)ms_control_block()->output_buffer; }

static void out_port(uint16_t port) { __asm__ volatile("out %%eax, %%dx" : : "a"(0), "d"(port) : "memory"); }

MICROSCOPE_FN(void, host_frame_longer_than_buffer) {
  struct ms_frame *frame = output();
  frame->magic = MS_FRAME_MAGIC, frame->version = MS_ABI_VERSION, frame->kind = MS_FRAME_HOST_CALL;
  frame->length = 0x7fffffff, frame->count = 1, frame->word = 0;
  out_port(MS_PORT_HOST_CALL);
}

MICROSCOPE_FN(void, host_frame_offset_outside) {
  struct ms_frame *frame = output();
  struct ms_slot *slot = (struct ms_slot *)(frame + 1);
  frame->magic = MS_FRAME_MAGIC, frame->version = MS_ABI_VERSION, frame->kind = MS_FRAME_HOST_CALL;
  frame->length = 64, frame->count = 1, frame->word = 0;
  slot->type = MS_TYPE_STR, slot->length = 5, slot->as.offset = 0xffffffffffffff00ull;
  out_port(MS_PORT_HOST_CALL);
}

MICROSCOPE_FN(void, host_frame_str_without_nul) {
  struct ms_frame *frame = output();
  struct ms_slot *slot = (struct ms_slot *)(frame + 1);
  char *data = (char *)frame + 40;
  frame->magic = MS_FRAME_MAGIC, frame->version = MS_ABI_VERSION, frame->kind = MS_FRAME_HOST_CALL;
  frame->length = 56, frame->count = 1, frame->word = 0;
  slot->type = MS_TYPE_STR, slot->length = 8, slot->as.offset = 40;
  memcpy(data, "printXXXY", 9); /* where the NUL belongs, a 'Y' */
  out_port(MS_PORT_HOST_CALL);
}

MICROSCOPE_FN(void, host_frame_bad_type) {
  struct ms_frame *frame = output();
  struct ms_slot *slot = (struct ms_slot *)(frame + 1);
  frame->magic = MS_FRAME_MAGIC, frame->version = MS_ABI_VERSION, frame->kind = MS_FRAME_HOST_CALL;
  frame->length = 40, frame->count = 1, frame->word = 0;
  slot->type = 200;
  out_port(MS_PORT_HOST_CALL);
}

MICROSCOPE_FN(void, abort_frame_garbage) {
  memset(output(), 0xab, 64);
  out_port(MS_PORT_ABORT);
}

/* Returns to the halt stub with a RESULT frame that claims 4 GiB. */
MICROSCOPE_FN(str, result_frame_claiming_4gib) {
  struct ms_frame *frame = output();
  struct ms_slot *slot = (struct ms_slot *)(frame + 1);
  frame->magic = MS_FRAME_MAGIC, frame->version = MS_ABI_VERSION, frame->kind = MS_FRAME_RESULT;
  frame->length = 0xffffffff, frame->count = 1, frame->word = 0;
  slot->type = MS_TYPE_STR, slot->length = 0xfffffff0, slot->as.offset = 40;
  __asm__ volatile("mov %0, %%rsp; jmp *%1"
                   :
                   : "r"(ms_control_block()->stack_top), "r"(ms_control_block()->halt_address));
  return "unreachable";
}

MICROSCOPE_FN(void, out_to_unknown_port) { out_port(0x1234); }

MICROSCOPE_FN(u32, in_from_unknown_port) {
  uint32_t value;
  __asm__ volatile("in %%dx, %%eax" : "=a"(value) : "d"(0x60));
  return value;
}

MICROSCOPE_FN(void, stray_hlt) { __asm__ volatile("hlt"); }
MICROSCOPE_FN(void, ud2) { __asm__ volatile("ud2"); }
MICROSCOPE_FN(void, int3) { __asm__ volatile("int3"); }
/* Not hostile any more: with no handler of the guest's, the engine answers -ENOSYS. */
MICROSCOPE_FN(i64, syscall) {
  long result;
  __asm__ volatile("syscall" : "=a"(result) : "a"(39L) : "rcx", "r11", "memory");
  return result;
}

MICROSCOPE_FN(void, write_page_tables) { *(volatile uint64_t *)(uintptr_t)MS_PAGE_TABLES_ADDRESS = 0; }
MICROSCOPE_FN(void, write_control_block) { *(volatile uint64_t *)(uintptr_t)MS_CONTROL_BLOCK_ADDRESS = 0; }

static char long_message[100000];
MICROSCOPE_FN(void, abort_with_huge_message) {
  memset(long_message, 'x', sizeof long_message - 1);
  ms_abort(5, long_message);
}

/* ---- Control flow and memory the guest may not use ---- */
MICROSCOPE_FN(void, jump_to_unmapped) { ((void (*)(void))(uintptr_t)0x6000)(); }
MICROSCOPE_FN(void, jump_to_null) { ((void (*volatile)(void))0)(); }
MICROSCOPE_FN(void, write_null_page) {
  volatile uint64_t *null_page = (volatile uint64_t *)(uintptr_t)8;
  __asm__("" : "+r"(null_page)); /* hide the constant so gcc emits the store as written */
  *null_page = 1;
}
static const char read_only[] = "the ELF's read-only data";
MICROSCOPE_FN(void, write_rodata) { *(volatile char *)read_only = 'T'; }

/* ---- Instructions the micro-VM doesn't serve ---- */
MICROSCOPE_FN(void, int_0x80) { __asm__ volatile("int $0x80"); }
MICROSCOPE_FN(void, cli_hlt) { __asm__ volatile("cli; hlt"); }
MICROSCOPE_FN(u64, rdmsr_unknown) {
  uint32_t low, high;
  __asm__ volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(0x4b564d99)); /* no such MSR */
  return (uint64_t)high << 32 | low;
}
MICROSCOPE_FN(void, wrmsr_efer_zero) { __asm__ volatile("wrmsr" : : "c"(0xc0000080), "a"(0), "d"(0)); }
MICROSCOPE_FN(void, lidt_garbage_then_ud2) {
  static const struct __attribute__((packed)) {
    uint16_t limit;
    uint64_t base;
  } garbage = {0xfff, 0xdead0000};
  __asm__ volatile("lidt %0; ud2" : : "m"(garbage));
}

/* ---- Host calls the host must refuse, or survive ---- */
MICROSCOPE_FN(void, host_call_wrong_count) { ms_host_call("double_it", 0, 0); }
/* `n` host calls in one guest call ("count" returns its argument plus one). */
MICROSCOPE_FN(u64, host_calls_many, (u32, n)) {
  uint64_t x = 0;
  for (uint32_t i = 0; i < n; ++i) x = MS_HOST_CALL("count", ms_u64(x)).as.u64;
  return x;
}

/* After each of the above, the same sandbox must still serve this. */
MICROSCOPE_FN(i64, still_fine, (i64, x)) { return x + 1; }

/* Never returns: the call ends at its timeout. */
MICROSCOPE_FN(void, never_halts) {
  for (;;) __asm__ volatile("" ::: "memory");
}

/* Prints `mib` MiB: the host keeps the first 1 MiB of a call's output and says so. */
MICROSCOPE_FN(void, print_mebibytes, (u32, mib)) {
  static char line[1024];
  memset(line, 'x', sizeof line - 1);
  for (uint32_t i = 0; i < mib * 1024; ++i) ms_print(line);
}

/* Long enough to be moved between threads many times: a sum the host checks. */
MICROSCOPE_FN(u64, busy_sum, (u32, n)) {
  uint64_t sum = 0;
  for (uint32_t i = 0; i < n; ++i) {
    sum = sum * 31 + (i ^ (sum >> 7));
    if (i % 5 == 0)
      sum += i * 3;
    else
      sum ^= i;
  }
  return sum;
}
