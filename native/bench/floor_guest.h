/*
 * What both floor programs (floor.c on libunicorn, floor_kvm.c on /dev/kvm) share: the
 * benchmark guest's PT_LOAD segments and two symbols, the machine they run it on, and
 * the clock. No validation: the guest is ours.
 *
 * The machine: one 16 MiB slice identity-mapped with 2 MiB pages, flat 64-bit segments,
 * and a `hlt` as every call's return address, so a call is RIP = the function, its
 * arguments in RDI and RSI, and one exit.
 */
#ifndef MICROSCOPE_FLOOR_GUEST_H
#define MICROSCOPE_FLOOR_GUEST_H

#include <stdint.h>

#define MEMORY (16u << 20)
#define PML4 0x1000
#define GDT 0x4000
#define HALT 0x5000
#define STACK_TOP MEMORY
#define CR0 0x80050033ull /* PG, AM, WP, NE, ET, MP, PE */
#define CR4 0x620ull      /* OSXMMEXCPT, OSFXSR, PAE */
#define EFER 0x500ull     /* LMA, LME */

extern uint64_t add_address, touch4_address;

int64_t now(void);
/* Whether CASE is to be measured: `only` is the one asked for, or NULL for all. */
int wants(const char *only, const char *name);
/* The JSON line of median nanoseconds, with the cases measured. */
void print_floors(const char *only, int64_t cold, int64_t warm, int64_t restore);
int64_t median(int64_t *samples, int count);
/* Reads GUEST.elf and finds add and touch4; exits with a message if it can't. */
void read_guest(const char *program, const char *path);
/* A fresh MEMORY-sized slice, zeroed as touched, in 4 KiB pages. */
uint8_t *map_memory(void);
/* The segments, the page tables, the GDT and the return address. */
void load_guest(uint8_t *memory);

#endif
