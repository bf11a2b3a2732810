/*
 * The guest's init entry point and its host-call loop (native/README.md, "Entry state").
 * Every entry starts with RSP = stack top - 8 holding the address of the engine's halt
 * stub, so returning ends it.
 */
    .intel_syntax noprefix
    .text

/* Init: RDI = control block. Keeps it for the runtime, then tail-calls the guest's
 * microscope_init, which returns to the halt stub. Three blocks of code in all: each block
 * translated is a few microseconds of every cold start. Calls don't come through here:
 * the host starts them at the export's function or thunk (native/README.md). Weak: a
 * guest with the C library starts at libc/libc_start.S's instead. */
    .weak _start
    .type _start, @function
_start:
    mov [rip + ms__cb], rdi
    jmp microscope_init
    .size _start, . - _start

/* Tells the host a HOST_CALL frame waits, and executes the `out` again for as long as
 * the host answers MS_HOST_CALL_AGAIN. A function of its own, so the loop begins a block
 * of translated code: the emulated backend moves a guest between threads only there. */
    .globl ms__signal_host
    .type ms__signal_host, @function
ms__signal_host:
1:  mov edx, 0x6d00                             /* MS_PORT_HOST_CALL */
    xor eax, eax
    out dx, eax
    cmp eax, 1                                  /* MS_HOST_CALL_AGAIN */
    je 1b
    ret
    .size ms__signal_host, . - ms__signal_host

    .section .note.GNU-stack, "", @progbits
