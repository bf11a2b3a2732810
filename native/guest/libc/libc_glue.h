/* The C library's glue to the SDK (native/guest/libc/): what syscalls.c needs of the rest. */
#ifndef MICROSCOPE_LIBC_GLUE_H
#define MICROSCOPE_LIBC_GLUE_H

#include <stdint.h>

/* The most of stdout or stderr one host call carries. */
#define MS_OUTPUT_PIECE 16384u

long ms__syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);
void ms__set_fs_base(uint64_t base);
_Noreturn void ms__exit(int status);
_Noreturn void ms__abort_signal(int signal);

#endif
