/*
 * The guest's two entry points (native/README.md, "Entry state"). Every entry starts with
 * RSP = stack top - 8 holding the address of the engine's halt stub, so returning ends it.
 */
    .intel_syntax noprefix
    .text

/* Init: RDI = control block. Returns the dispatcher's address in RAX. */
    .globl _start
    .type _start, @function
_start:
    push rbp
    mov rbp, rsp
    call ms__init
    pop rbp
    lea rax, [rip + ms__dispatch]
    ret
    .size _start, . - _start

/* A call: RDI = the CALL frame in the input buffer. Jumps to the export's thunk, which
 * tail-calls the function, which returns to the halt stub: no guest store of its own. */
    .globl ms__dispatch
    .type ms__dispatch, @function
ms__dispatch:
    mov rax, [rdi + 16]                         /* frame->word: the function's index */
    lea rcx, [rip + __start_microscope_exports]
    lea rdx, [rip + __stop_microscope_exports]
    sub rdx, rcx
    cmp rax, 0x10000                            /* keeps the multiplication from overflowing */
    jae 1f
    imul rax, rax, 288                          /* MS_EXPORT_SIZE */
    cmp rax, rdx
    jae 1f
    jmp [rcx + rax + 280]                       /* the record's thunk */
1:  jmp ms__bad_call
    .size ms__dispatch, . - ms__dispatch

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
