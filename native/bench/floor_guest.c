#include "floor_guest.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

uint64_t add_address, touch4_address;
static uint8_t *file;

int64_t now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int compare(const void *a, const void *b) {
  const int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

int64_t median(int64_t *samples, int count) {
  qsort(samples, (size_t)count, sizeof *samples, compare);
  return samples[count / 2];
}

void read_guest(const char *program, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "%s: ", program);
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
    fprintf(stderr, "%s: %s lacks add or touch4\n", program, path);
    exit(1);
  }
}

uint8_t *map_memory(void) {
  uint8_t *memory = mmap(0, MEMORY, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (memory == MAP_FAILED) {
    perror("mmap");
    exit(1);
  }
  madvise(memory, MEMORY, MADV_NOHUGEPAGE); /* zero 4 KiB pages as touched, not 2 MiB */
  return memory;
}

void load_guest(uint8_t *memory) {
  const Elf64_Ehdr *eh = (const Elf64_Ehdr *)file;
  const Elf64_Phdr *ph = (const Elf64_Phdr *)(file + eh->e_phoff);
  for (int i = 0; i < eh->e_phnum; ++i) {
    if (ph[i].p_type == PT_LOAD) memcpy(memory + ph[i].p_vaddr, file + ph[i].p_offset, ph[i].p_filesz);
  }
  uint64_t *pml4 = (uint64_t *)(memory + PML4), *pdpt = pml4 + 512, *pd = pdpt + 512;
  pml4[0] = (PML4 + 0x1000) | 0x63;
  pdpt[0] = (PML4 + 0x2000) | 0x63;
  for (uint64_t i = 0; i < MEMORY >> 21; ++i) pd[i] = (i << 21) | 0xe3;
  uint64_t *gdt = (uint64_t *)(memory + GDT);
  gdt[1] = 0x00af9b000000ffffull;
  gdt[2] = 0x00cf93000000ffffull;
  memory[HALT] = 0xf4;
  *(uint64_t *)(memory + STACK_TOP - 8) = HALT;
}

int wants(const char *only, const char *name) { return only == NULL || strcmp(only, name) == 0; }

void print_floors(const char *only, int64_t cold, int64_t warm, int64_t restore) {
  const char *names[] = {"cold_start", "warm_call", "restore_call"};
  const int64_t values[] = {cold, warm, restore};
  const char *separator = "{";
  for (int i = 0; i < 3; ++i) {
    if (!wants(only, names[i])) continue;
    printf("%s\"%s\":%lld", separator, names[i], (long long)values[i]);
    separator = ",";
  }
  printf("}\n");
}
