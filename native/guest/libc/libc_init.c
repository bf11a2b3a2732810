/*
 * The C library set up in a guest (native/README.md, "The C library"): musl's own start
 * (its environment, auxiliary vector, thread pointer and stack canary) with SYSCALL pointed
 * at the SDK, stdout unbuffered so that nothing printed waits past the call, and the ways a
 * C program ends (exit, abort, a failed assert) made guest aborts with their reason.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../microscope.h"
#include "libc_glue.h"

/* musl's own, internal to it, called by its __libc_start_main. */
void __init_libc(char **envp, char *program_name);

extern char ms__syscall_entry[];

static void write_msr(uint32_t msr, uint64_t value) {
  __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
}

void ms__set_fs_base(uint64_t base) { write_msr(0xc0000100, base); }

/* Constructors of the guest's own, as a C runtime runs them before main. */
extern void (*__init_array_start[])(void) __attribute__((weak));
extern void (*__init_array_end[])(void) __attribute__((weak));

void ms__libc_init(void) {
  write_msr(0xc0000082, (uint64_t)(uintptr_t)ms__syscall_entry); /* LSTAR */
  static uint8_t canary[16];
  ms_random_bytes(canary, sizeof canary);
  /* An empty environment, then the auxiliary vector: the page size, 16 random bytes. */
  static size_t start[] = {0, 6 /* AT_PAGESZ */, 4096, 25 /* AT_RANDOM */, 0, 0, 0};
  start[4] = (size_t)(uintptr_t)canary;
  static char name[] = "guest";
  __init_libc((char **)start, name);
  setvbuf(stdout, 0, _IONBF, 0);
  for (void (**constructor)(void) = __init_array_start; constructor < __init_array_end; ++constructor) (*constructor)();
}

_Noreturn void ms__exit(int status) {
  char message[48];
  snprintf(message, sizeof message, "exit(%d)", status);
  ms_abort(status, message);
}

_Noreturn void ms__abort_signal(int signal) {
  char message[48];
  snprintf(message, sizeof message, "killed by signal %d", signal);
  ms_abort(128 + signal, message);
}

/* musl's abort raises SIGABRT; in a guest it ends the call. */
_Noreturn void abort(void) { ms_abort(134, "abort()"); }

/* A failed assert(): a guest abort with the expression, the file and the line. */
_Noreturn void __assert_fail(const char *expression, const char *file, int line, const char *function) {
  char message[1024];
  snprintf(message, sizeof message, "assertion failed: %s (%s:%d, %s)", expression, file, line, function);
  ms_abort(134, message);
}

/* With the C library the SDK's heap is its malloc's. */
void *ms_alloc(size_t size) { return malloc(size); }
void ms_free(void *pointer) { free(pointer); }
