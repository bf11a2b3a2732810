/*
 * The benchmark's floor on KVM: the least work /dev/kvm needs for each case, with none
 * of the engine, on the machine floor_guest.h describes. One memory slot with dirty
 * logging (the restore case needs to know what the guest wrote), segments set straight
 * into the vCPU, registers through kvm_run's synced copy where KVM offers it, so a call
 * is one KVM_RUN. No CPUID: add and touch4 never ask. Prints one JSON line of median
 * nanoseconds, like floor.c.
 *
 *   floor-kvm GUEST.elf ITERATIONS [CASE]
 *
 * With CASE (cold_start, warm_call or restore_call) only that one, as the benchmark
 * interleaves each case's floor with the engine's, round by round.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "floor_guest.h"

/* Where Intel's VMX keeps its real-mode TSS: three pages out of the guest's way. */
#define TSS_ADDRESS 0xfffbd000

struct vm {
  int fd, vcpu;
  struct kvm_run *run;
  size_t run_size;
  int sync_regs;
};

static int kvm;

static int check(int result, const char *what) {
  if (result < 0) {
    fprintf(stderr, "floor-kvm: %s: %s\n", what, strerror(errno));
    exit(1);
  }
  return result;
}

static void flat_segment(struct kvm_segment *segment, uint16_t selector, uint8_t type, uint8_t long_mode) {
  memset(segment, 0, sizeof *segment);
  segment->selector = selector;
  segment->limit = 0xffffffff;
  segment->type = type;
  segment->present = 1;
  segment->s = 1;
  segment->l = long_mode;
  segment->db = !long_mode;
  segment->g = 1;
}

/* Long mode over the tables load_guest wrote. */
static void open_vm(struct vm *vm, uint8_t *memory) {
  vm->fd = check(ioctl(kvm, KVM_CREATE_VM, 0), "KVM_CREATE_VM");
  check(ioctl(vm->fd, KVM_SET_TSS_ADDR, TSS_ADDRESS), "KVM_SET_TSS_ADDR");
  struct kvm_userspace_memory_region region = {
      .slot = 0,
      .flags = KVM_MEM_LOG_DIRTY_PAGES,
      .guest_phys_addr = 0,
      .memory_size = MEMORY,
      .userspace_addr = (uint64_t)(uintptr_t)memory,
  };
  check(ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region), "KVM_SET_USER_MEMORY_REGION");
  vm->vcpu = check(ioctl(vm->fd, KVM_CREATE_VCPU, 0), "KVM_CREATE_VCPU");
  vm->run_size = (size_t)check(ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0), "KVM_GET_VCPU_MMAP_SIZE");
  vm->run = mmap(0, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu, 0);
  if (vm->run == MAP_FAILED) check(-1, "mmap kvm_run");
  vm->sync_regs = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS) > 0;

  struct kvm_sregs sregs;
  check(ioctl(vm->vcpu, KVM_GET_SREGS, &sregs), "KVM_GET_SREGS");
  flat_segment(&sregs.cs, 8, 11, 1);
  flat_segment(&sregs.ds, 0x10, 3, 0);
  sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
  sregs.gdt.base = GDT;
  sregs.gdt.limit = 23;
  sregs.cr0 = CR0;
  sregs.cr3 = PML4;
  sregs.cr4 = CR4;
  sregs.efer = EFER;
  check(ioctl(vm->vcpu, KVM_SET_SREGS, &sregs), "KVM_SET_SREGS");
}

static void close_vm(struct vm *vm) {
  munmap(vm->run, vm->run_size);
  close(vm->vcpu);
  close(vm->fd);
}

static uint64_t call(struct vm *vm, uint64_t function, uint64_t a, uint64_t b) {
  struct kvm_regs regs;
  memset(&regs, 0, sizeof regs);
  regs.rip = function;
  regs.rsp = STACK_TOP - 8;
  regs.rdi = a;
  regs.rsi = b;
  regs.rflags = 2;
  if (vm->sync_regs) {
    vm->run->s.regs.regs = regs;
    vm->run->kvm_valid_regs = KVM_SYNC_X86_REGS;
    vm->run->kvm_dirty_regs = KVM_SYNC_X86_REGS;
  } else {
    check(ioctl(vm->vcpu, KVM_SET_REGS, &regs), "KVM_SET_REGS");
  }
  check(ioctl(vm->vcpu, KVM_RUN, 0), "KVM_RUN");
  if (vm->run->exit_reason != KVM_EXIT_HLT) {
    fprintf(stderr, "floor-kvm: the guest exited with reason %u, not hlt\n", vm->run->exit_reason);
    exit(1);
  }
  if (vm->sync_regs) return vm->run->s.regs.regs.rax;
  check(ioctl(vm->vcpu, KVM_GET_REGS, &regs), "KVM_GET_REGS");
  return regs.rax;
}

int main(int argc, char **argv) {
  if (argc != 3 && argc != 4) {
    fprintf(stderr, "usage: floor-kvm GUEST.elf ITERATIONS [cold_start|warm_call|restore_call]\n");
    return 2;
  }
  const char *only = argc == 4 ? argv[3] : NULL;
  read_guest("floor-kvm", argv[1]);
  const int iterations = atoi(argv[2]);
  int64_t *samples = calloc((size_t)iterations, sizeof *samples);
  kvm = check(open("/dev/kvm", O_RDWR | O_CLOEXEC), "open /dev/kvm");
  struct vm vm;

  /* The VM of the warm cases, opened first: KVM turns virtualisation on in every CPU
   * when a process makes its first VM and off again when the last one closes, and the
   * engine's cold case, like any program that runs VMs, always has one open. */
  uint8_t *memory = map_memory();
  load_guest(memory);
  open_vm(&vm, memory);

  /* cold_start: a new 16 MiB VM, the guest loaded, the first add. */
  const int cold_iterations = !wants(only, "cold_start") ? 0 : iterations < 2000 ? iterations : 2000;
  struct vm fresh;
  for (int i = 0; i < cold_iterations; ++i) {
    const int64_t start = now();
    uint8_t *fresh_memory = map_memory();
    load_guest(fresh_memory);
    open_vm(&fresh, fresh_memory);
    if (call(&fresh, add_address, 40, 2) != 42) return 1;
    samples[i] = now() - start;
    close_vm(&fresh);
    munmap(fresh_memory, MEMORY);
  }
  const int64_t cold = median(samples, cold_iterations);

  /* warm_call: add, again and again. */
  const int warm_iterations = wants(only, "warm_call") ? iterations : 0;
  for (int i = 0; i < warm_iterations; ++i) {
    const int64_t start = now();
    if (call(&vm, add_address, (uint64_t)i, 2) != (uint64_t)i + 2) return 1;
    samples[i] = now() - start;
  }
  const int64_t warm = median(samples, warm_iterations);

  /* restore_call: copy back the pages touch4 dirtied (KVM's dirty log) and the CPU
   * state, then call it. The general registers are the call's own. */
  uint8_t *saved = malloc(MEMORY);
  memcpy(saved, memory, MEMORY);
  struct kvm_sregs saved_sregs;
  struct kvm_fpu saved_fpu;
  check(ioctl(vm.vcpu, KVM_GET_SREGS, &saved_sregs), "KVM_GET_SREGS");
  check(ioctl(vm.vcpu, KVM_GET_FPU, &saved_fpu), "KVM_GET_FPU");
  static uint64_t dirty[MEMORY / 4096 / 64];
  struct kvm_dirty_log log = {.slot = 0, .dirty_bitmap = dirty};
  check(ioctl(vm.fd, KVM_GET_DIRTY_LOG, &log), "KVM_GET_DIRTY_LOG"); /* start clean */
  call(&vm, touch4_address, 1, 0);
  const int restore_iterations = wants(only, "restore_call") ? iterations : 0;
  for (int i = 0; i < restore_iterations; ++i) {
    const int64_t start = now();
    check(ioctl(vm.fd, KVM_GET_DIRTY_LOG, &log), "KVM_GET_DIRTY_LOG");
    for (size_t w = 0; w < sizeof dirty / sizeof *dirty; ++w) {
      for (uint64_t bits = dirty[w]; bits; bits &= bits - 1) {
        const uint64_t page = w * 64 + (uint64_t)__builtin_ctzll(bits);
        memcpy(memory + page * 4096, saved + page * 4096, 4096);
      }
    }
    check(ioctl(vm.vcpu, KVM_SET_SREGS, &saved_sregs), "KVM_SET_SREGS");
    check(ioctl(vm.vcpu, KVM_SET_FPU, &saved_fpu), "KVM_SET_FPU");
    if (call(&vm, touch4_address, (uint64_t)i, 0) != (uint64_t)i) return 1;
    samples[i] = now() - start;
  }
  const int64_t restore = median(samples, restore_iterations);

  print_floors(only, cold, warm, restore);
  return 0;
}
