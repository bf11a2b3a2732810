/*
 * The benchmark's floor: the least work the same libunicorn needs for each case, with
 * none of the engine. It maps one 16 MiB slice with 2 MiB pages, enters long mode, and
 * calls the benchmark guest's functions directly (RIP = the function, arguments in RDI
 * and RSI, the return address a `hlt`). Prints one JSON line of median nanoseconds.
 *
 *   floor GUEST.elf ITERATIONS
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unicorn/unicorn.h>

#define MEMORY (16u << 20)
#define PML4 0x1000
#define GDT 0x4000
#define HALT 0x5000
#define STACK_TOP MEMORY

static int64_t now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int compare(const void *a, const void *b) {
  const int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

static int64_t median(int64_t *samples, int count) {
  qsort(samples, (size_t)count, sizeof *samples, compare);
  return samples[count / 2];
}

static void check(uc_err err, const char *what) {
  if (err != UC_ERR_OK) {
    fprintf(stderr, "floor: %s: %s\n", what, uc_strerror(err));
    exit(1);
  }
}

/* The guest file, its PT_LOAD segments and two symbols: no validation, it is ours. */
static uint8_t *file;
static uint64_t add_address, touch4_address;

static void read_guest(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  file = malloc((size_t)size);
  if (fread(file, 1, (size_t)size, f) != (size_t)size) exit(1);
  fclose(f);
  const Elf64_Ehdr *eh = (const Elf64_Ehdr *)file;
  const Elf64_Shdr *sh = (const Elf64_Shdr *)(file + eh->e_shoff);
  for (int i = 0; i < eh->e_shnum; ++i) {
    if (sh[i].sh_type != SHT_SYMTAB) continue;
    const Elf64_Sym *symbols = (const Elf64_Sym *)(file + sh[i].sh_offset);
    const char *names = (const char *)(file + sh[sh[i].sh_link].sh_offset);
    for (size_t s = 0; s < sh[i].sh_size / sizeof *symbols; ++s) {
      if (!strcmp(names + symbols[s].st_name, "add")) add_address = symbols[s].st_value;
      if (!strcmp(names + symbols[s].st_name, "touch4")) touch4_address = symbols[s].st_value;
    }
  }
  if (!add_address || !touch4_address) {
    fprintf(stderr, "floor: %s lacks add or touch4\n", path);
    exit(1);
  }
}

static void load_guest(uint8_t *memory) {
  const Elf64_Ehdr *eh = (const Elf64_Ehdr *)file;
  const Elf64_Phdr *ph = (const Elf64_Phdr *)(file + eh->e_phoff);
  for (int i = 0; i < eh->e_phnum; ++i) {
    if (ph[i].p_type == PT_LOAD) memcpy(memory + ph[i].p_vaddr, file + ph[i].p_offset, ph[i].p_filesz);
  }
}

/* Identity-mapped with 2 MiB pages, long mode, flat segments, the return address. */
static uc_engine *open_vm(uint8_t *memory) {
  uint64_t *pml4 = (uint64_t *)(memory + PML4), *pdpt = pml4 + 512, *pd = pdpt + 512;
  pml4[0] = (PML4 + 0x1000) | 0x63;
  pdpt[0] = (PML4 + 0x2000) | 0x63;
  for (uint64_t i = 0; i < MEMORY >> 21; ++i) pd[i] = (i << 21) | 0xe3;
  uint64_t *gdt = (uint64_t *)(memory + GDT);
  gdt[1] = 0x00af9b000000ffffull;
  gdt[2] = 0x00cf93000000ffffull;
  memory[HALT] = 0xf4;
  *(uint64_t *)(memory + STACK_TOP - 8) = HALT;

  uc_engine *uc;
  check(uc_open(UC_ARCH_X86, UC_MODE_64, &uc), "open");
  check(uc_mem_map_ptr(uc, 0, MEMORY, UC_PROT_ALL, memory), "map");
  uc_x86_mmr gdtr = {0, GDT, 23, 0};
  uc_reg_write(uc, UC_X86_REG_GDTR, &gdtr);
  uc_x86_msr efer = {0xc0000080, 0x500};
  uc_reg_write(uc, UC_X86_REG_MSR, &efer);
  uint64_t cr3 = PML4, cr4 = 0x620, cr0 = 0x80050033, cs = 8, ds = 0x10;
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
  if (argc != 3) {
    fprintf(stderr, "usage: floor GUEST.elf ITERATIONS\n");
    return 2;
  }
  read_guest(argv[1]);
  const int iterations = atoi(argv[2]);
  int64_t *samples = calloc((size_t)iterations, sizeof *samples);

  /* cold_start: a new 16 MiB VM, the guest loaded, the first add. */
  const int cold_iterations = iterations < 2000 ? iterations : 2000;
  for (int i = 0; i < cold_iterations; ++i) {
    const int64_t start = now();
    uint8_t *memory = mmap(0, MEMORY, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    madvise(memory, MEMORY, MADV_NOHUGEPAGE); /* zero 4 KiB pages as touched, not 2 MiB */
    load_guest(memory);
    uc_engine *uc = open_vm(memory);
    if (call(uc, add_address, 40, 2) != 42) return 1;
    samples[i] = now() - start;
    uc_close(uc);
    munmap(memory, MEMORY);
  }
  const int64_t cold = median(samples, cold_iterations);

  uint8_t *memory = mmap(0, MEMORY, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  load_guest(memory);
  uc_engine *uc = open_vm(memory);

  /* warm_call: add, again and again. */
  for (int i = 0; i < iterations; ++i) {
    const int64_t start = now();
    if (call(uc, add_address, (uint64_t)i, 2) != (uint64_t)i + 2) return 1;
    samples[i] = now() - start;
  }
  const int64_t warm = median(samples, iterations);

  /* restore_call: copy back the pages touch4 dirtied and the CPU state, then call it. */
  uc_hook hook;
  check(uc_hook_add(uc, &hook, UC_HOOK_MEM_WRITE, (void *)on_write, NULL, 1, 0), "hook");
  uint8_t *saved = malloc(MEMORY);
  memcpy(saved, memory, MEMORY);
  uc_context *context;
  uc_context_alloc(uc, &context);
  uc_context_save(uc, context);
  call(uc, touch4_address, 1, 0);
  for (int i = 0; i < iterations; ++i) {
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
  const int64_t restore = median(samples, iterations);

  printf("{\"cold_start\":%lld,\"warm_call\":%lld,\"restore_call\":%lld}\n", (long long)cold, (long long)warm,
         (long long)restore);
  return 0;
}
