/*
 * The benchmark's floor: the least work the same libunicorn needs for each case, with
 * none of the engine. It maps one 16 MiB slice with 2 MiB pages, enters long mode, and
 * calls the benchmark guest's functions directly (RIP = the function, arguments in RDI
 * and RSI, the return address a `hlt`). Prints one JSON line of median nanoseconds.
 *
 *   floor GUEST.elf ITERATIONS [CASE]
 *
 * With CASE (cold_start, warm_call or restore_call) only that one, as the benchmark
 * interleaves each case's floor with the engine's, round by round.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unicorn/unicorn.h>

#include "floor_guest.h"

static void check(uc_err err, const char *what) {
  if (err != UC_ERR_OK) {
    fprintf(stderr, "floor: %s: %s\n", what, uc_strerror(err));
    exit(1);
  }
}

/* Long mode over the tables load_guest wrote. */
static uc_engine *open_vm(uint8_t *memory) {
  uc_engine *uc;
  check(uc_open(UC_ARCH_X86, UC_MODE_64, &uc), "open");
  check(uc_mem_map_ptr(uc, 0, MEMORY, UC_PROT_ALL, memory), "map");
  uc_x86_mmr gdtr = {0, GDT, 23, 0};
  uc_reg_write(uc, UC_X86_REG_GDTR, &gdtr);
  uc_x86_msr efer = {0xc0000080, EFER};
  uc_reg_write(uc, UC_X86_REG_MSR, &efer);
  uint64_t cr3 = PML4, cr4 = CR4, cr0 = CR0, cs = 8, ds = 0x10;
  uc_reg_write(uc, UC_X86_REG_CR3, &cr3);
  uc_reg_write(uc, UC_X86_REG_CR4, &cr4);
  uc_reg_write(uc, UC_X86_REG_CR0, &cr0);
  uc_reg_write(uc, UC_X86_REG_CS, &cs);
  uc_reg_write(uc, UC_X86_REG_SS, &ds);
  uc_reg_write(uc, UC_X86_REG_DS, &ds);
  uc_reg_write(uc, UC_X86_REG_ES, &ds);
  return uc;
}

static uint64_t call(uc_engine *uc, uint64_t function, uint64_t a, uint64_t b) {
  int ids[] = {UC_X86_REG_RIP, UC_X86_REG_RSP, UC_X86_REG_RDI, UC_X86_REG_RSI};
  uint64_t rsp = STACK_TOP - 8;
  void *values[] = {&function, &rsp, &a, &b};
  uc_reg_write_batch(uc, ids, values, 4);
  check(uc_emu_start(uc, function, 0, 0, 0), "run");
  uint64_t rax;
  uc_reg_read(uc, UC_X86_REG_RAX, &rax);
  return rax;
}

/* The dirty pages a restore copies back, found by a write hook. */
static uint64_t dirty[MEMORY / 4096 / 64];
static void on_write(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value, void *user) {
  (void)uc, (void)type, (void)size, (void)value, (void)user;
  dirty[address >> 18] |= 1ull << ((address >> 12) & 63);
}

int main(int argc, char **argv) {
  if (argc != 3 && argc != 4) {
    fprintf(stderr, "usage: floor GUEST.elf ITERATIONS [cold_start|warm_call|restore_call]\n");
    return 2;
  }
  const char *only = argc == 4 ? argv[3] : NULL;
  read_guest("floor", argv[1]);
  const int iterations = atoi(argv[2]);
  int64_t *samples = calloc((size_t)iterations, sizeof *samples);

  /* cold_start: a new 16 MiB VM, the guest loaded, the first add. */
  const int cold_iterations = !wants(only, "cold_start") ? 0 : iterations < 2000 ? iterations : 2000;
  for (int i = 0; i < cold_iterations; ++i) {
    const int64_t start = now();
    uint8_t *memory = map_memory();
    load_guest(memory);
    uc_engine *uc = open_vm(memory);
    if (call(uc, add_address, 40, 2) != 42) return 1;
    samples[i] = now() - start;
    uc_close(uc);
    munmap(memory, MEMORY);
  }
  const int64_t cold = median(samples, cold_iterations);

  uint8_t *memory = map_memory();
  load_guest(memory);
  uc_engine *uc = open_vm(memory);

  /* warm_call: add, again and again. */
  const int warm_iterations = wants(only, "warm_call") ? iterations : 0;
  for (int i = 0; i < warm_iterations; ++i) {
    const int64_t start = now();
    if (call(uc, add_address, (uint64_t)i, 2) != (uint64_t)i + 2) return 1;
    samples[i] = now() - start;
  }
  const int64_t warm = median(samples, warm_iterations);

  /* restore_call: copy back the pages touch4 dirtied and the CPU state, then call it. */
  uc_hook hook;
  check(uc_hook_add(uc, &hook, UC_HOOK_MEM_WRITE, (void *)on_write, NULL, 1, 0), "hook");
  uint8_t *saved = malloc(MEMORY);
  memcpy(saved, memory, MEMORY);
  uc_context *context;
  uc_context_alloc(uc, &context);
  uc_context_save(uc, context);
  call(uc, touch4_address, 1, 0);
  const int restore_iterations = wants(only, "restore_call") ? iterations : 0;
  for (int i = 0; i < restore_iterations; ++i) {
    const int64_t start = now();
    for (size_t w = 0; w < sizeof dirty / sizeof *dirty; ++w) {
      for (uint64_t bits = dirty[w]; bits; bits &= bits - 1) {
        const uint64_t page = w * 64 + (uint64_t)__builtin_ctzll(bits);
        memcpy(memory + page * 4096, saved + page * 4096, 4096);
      }
      dirty[w] = 0;
    }
    uc_context_restore(uc, context);
    if (call(uc, touch4_address, (uint64_t)i, 0) != (uint64_t)i) return 1;
    samples[i] = now() - start;
  }
  const int64_t restore = median(samples, restore_iterations);

  print_floors(only, cold, warm, restore);
  return 0;
}
