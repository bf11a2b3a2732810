/* Guests that change the vCPU's control state (a guest runs at CPL 0 and may), then try
 * the memory the host protects. The host's protection must hold whatever they did, in the
 * same call and in every call after (test/native/engine/conformance/isolation_cases.cpp). */
#include <microscope.h>

enum tamper {
  TAMPER_NONE = 0,
  TAMPER_CLEAR_WP = 1,             /* CR0.WP off: supervisor writes ignore read-only pages */
  TAMPER_RELOAD_CR3 = 2,           /* the same CR3 again: flushes the TLB */
  TAMPER_TOGGLE_PGE = 3,           /* CR4.PGE flipped */
  TAMPER_WRITE_EFER = 4,           /* wrmsr EFER with its own value */
  TAMPER_SET_MSRS = 5,             /* KERNEL_GS_BASE, LSTAR, STAR, SYSENTER_EIP, PAT */
  TAMPER_ARM_DR7 = 6,              /* a hardware breakpoint on still_fine, for the next calls */
  TAMPER_GDT_COPY = 7,             /* lgdt to a copy of the engine's GDT in guest data */
  TAMPER_GDT_GARBAGE = 8,          /* lgdt to memory that isn't there */
  TAMPER_IDT_COPY = 9,             /* lidt to a copy of the engine's IDT in guest data */
  TAMPER_INVLPG = 10,              /* invlpg of the address written next */
  TAMPER_OWN_PAGE_TABLES = 11,     /* CR3 to page tables of the guest's own: identity, all writable */
  TAMPER_CLEAR_WP_AND_RELOAD = 12, /* WP off, a CR3 reload, WP on again: the TLB rebuilt meanwhile */
  TAMPER_COUNT = 13
};

struct __attribute__((packed)) table_register {
  uint16_t limit;
  uint64_t base;
};

static uint64_t read_cr0(void) {
  uint64_t v;
  __asm__ volatile("mov %%cr0, %0" : "=r"(v));
  return v;
}
static uint64_t read_cr3(void) {
  uint64_t v;
  __asm__ volatile("mov %%cr3, %0" : "=r"(v));
  return v;
}
static uint64_t read_cr4(void) {
  uint64_t v;
  __asm__ volatile("mov %%cr4, %0" : "=r"(v));
  return v;
}
static void write_cr0(uint64_t v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static void write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static void write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }
static uint64_t rdmsr(uint32_t msr) {
  uint32_t low, high;
  __asm__ volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
  return (uint64_t)high << 32 | low;
}
static void wrmsr(uint32_t msr, uint64_t value) {
  __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)) : "memory");
}

static uint64_t gdt_copy[8] __attribute__((aligned(16)));
static uint8_t idt_copy[4096] __attribute__((aligned(16)));
static uint64_t own_tables[3][512] __attribute__((aligned(4096)));

MICROSCOPE_FN(i64, still_fine, (i64, x)) { return x + 1; }

static void tamper(uint32_t how) {
  switch (how) {
    case TAMPER_CLEAR_WP: write_cr0(read_cr0() & ~(1ull << 16)); break;
    case TAMPER_RELOAD_CR3: write_cr3(read_cr3()); break;
    case TAMPER_TOGGLE_PGE: write_cr4(read_cr4() ^ (1ull << 7)); break;
    case TAMPER_WRITE_EFER: wrmsr(0xc0000080, rdmsr(0xc0000080)); break;
    case TAMPER_SET_MSRS:
      wrmsr(0xc0000102, 0x123456789000ull);     /* KERNEL_GS_BASE */
      wrmsr(0xc0000082, 0x100000);              /* LSTAR */
      wrmsr(0xc0000081, 0x0013000800000000ull); /* STAR */
      wrmsr(0x176, 0x100000);                   /* SYSENTER_EIP */
      wrmsr(0x277, 0x0606060606060606ull);      /* PAT: all write-back */
      break;
    case TAMPER_ARM_DR7: {
      const uint64_t target = (uint64_t)(uintptr_t)&still_fine;
      __asm__ volatile("mov %0, %%dr0" : : "r"(target));
      __asm__ volatile("mov %0, %%dr7" : : "r"(0x401ull)); /* L0: execute at DR0 */
      break;
    }
    case TAMPER_GDT_COPY: {
      memcpy(gdt_copy, (const void *)(uintptr_t)MS_GDT_ADDRESS, 5 * 8);
      const struct table_register gdtr = {5 * 8 - 1, (uint64_t)(uintptr_t)gdt_copy};
      __asm__ volatile("lgdt %0" : : "m"(gdtr));
      break;
    }
    case TAMPER_GDT_GARBAGE: {
      static const struct table_register gdtr = {0xffff, 0xdead0000};
      __asm__ volatile("lgdt %0" : : "m"(gdtr));
      break;
    }
    case TAMPER_IDT_COPY: {
      memcpy(idt_copy, (const void *)(uintptr_t)MS_IDT_ADDRESS, sizeof idt_copy);
      const struct table_register idtr = {sizeof idt_copy - 1, (uint64_t)(uintptr_t)idt_copy};
      __asm__ volatile("lidt %0" : : "m"(idtr));
      break;
    }
    case TAMPER_OWN_PAGE_TABLES: {
      /* PML4 -> PDPT -> PD of 2 MiB pages, identity, everything present and writable:
       * the null page, the control block and the engine's page tables included. */
      own_tables[0][0] = (uint64_t)(uintptr_t)own_tables[1] | 0x63;
      own_tables[1][0] = (uint64_t)(uintptr_t)own_tables[2] | 0x63;
      const uint64_t size = ms_control_block()->memory_size;
      for (uint64_t i = 0; i < size >> 21; ++i) own_tables[2][i] = (i << 21) | 0xe3;
      write_cr3((uint64_t)(uintptr_t)own_tables[0]);
      break;
    }
    case TAMPER_CLEAR_WP_AND_RELOAD: {
      const uint64_t cr0 = read_cr0();
      write_cr0(cr0 & ~(1ull << 16));
      write_cr3(read_cr3());
      write_cr0(cr0);
      break;
    }
  }
}

/* Changes the control state as `how` says, then stores 8 bytes at `address`. */
MICROSCOPE_FN(void, tamper_then_write, (u32, how), (u64, address)) {
  tamper(how);
  if (how == TAMPER_INVLPG) __asm__ volatile("invlpg (%0)" : : "r"(address) : "memory");
  *(volatile uint64_t *)(uintptr_t)address = 0x5a5a5a5a5a5a5a5aull;
}

/* The same, then loads 8 bytes from `address`. */
MICROSCOPE_FN(u64, tamper_then_read, (u32, how), (u64, address)) {
  tamper(how);
  return *(volatile uint64_t *)(uintptr_t)address;
}

/* Only the change: the call returns with the control state as it left it. */
MICROSCOPE_FN(void, tamper_only, (u32, how)) { tamper(how); }

/* The control state a call starts with, one value at a time. */
MICROSCOPE_FN(u64, control_state, (u32, which)) {
  struct table_register table;
  uint64_t v = 0;
  switch (which) {
    case 0: return read_cr0();
    case 1: return read_cr3();
    case 2: return read_cr4();
    case 3: return rdmsr(0xc0000080);
    case 4: __asm__ volatile("mov %%dr7, %0" : "=r"(v)); return v;
    case 5: return rdmsr(0xc0000102);
    case 6: return rdmsr(0xc0000082);
    case 7: return rdmsr(0xc0000081);
    case 8: return rdmsr(0x176);
    case 9: return rdmsr(0x277);
    case 10: __asm__ volatile("sgdt %0" : "=m"(table)); return table.base;
    case 11: __asm__ volatile("sidt %0" : "=m"(table)); return table.base;
    case 12: __asm__ volatile("mov %%dr0, %0" : "=r"(v)); return v;
  }
  return ~0ull;
}

/* Where the guest's code and read-only data are. */
MICROSCOPE_FN(u64, code_address) { return (uint64_t)(uintptr_t)&tamper; }
static const uint64_t read_only_value = 0x1122334455667788ull;
MICROSCOPE_FN(u64, rodata_address) { return (uint64_t)(uintptr_t)&read_only_value; }
MICROSCOPE_FN(u64, rodata_value) { return *(volatile const uint64_t *)&read_only_value; }
