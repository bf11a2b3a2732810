/*
 * The C library's entry points (native/README.md, "The C library"): the init, which sets
 * the C library up before the guest's own microscope_init, and the handler LSTAR points
 * at, which serves musl's `syscall`s in C (syscalls.c).
 */
    .intel_syntax noprefix
    .text

/* Init: RDI = control block, as for entry.S's _start, which this one replaces. */
    .globl _start
    .type _start, @function
_start:
    mov [rip + ms__cb], rdi
    sub rsp, 8                                  /* a call's alignment */
    call ms__libc_init
    add rsp, 8
    jmp microscope_init
    .size _start, . - _start

/* SYSCALL lands here at CPL 0 on the caller's stack, RCX = where to go back, R11 = its
 * RFLAGS. Below the red zone the interrupted code may use, every register but RAX is kept
 * (the kernel's promise), the x87 and SSE state too (fxsave), then C is called as the SysV
 * ABI wants (RSP 16-aligned) with the number and the six arguments. */
    .globl ms__syscall_entry
    .type ms__syscall_entry, @function
ms__syscall_entry:
    lea rsp, [rsp - 128]
    push rcx
    push r11
    push rdi
    push rsi
    push rdx
    push r10
    push r8
    push r9
    push rbx
    mov rbx, rsp                                /* where the pushes end */
    sub rsp, 512
    and rsp, -16
    fxsave [rsp]
    push r9                                     /* the sixth argument, on the stack */
    push r9
    mov r9, r8
    mov r8, r10
    mov rcx, rdx
    mov rdx, rsi
    mov rsi, rdi
    mov rdi, rax
    call ms__syscall
    add rsp, 16
    fxrstor [rsp]
    mov rsp, rbx
    pop rbx
    pop r9
    pop r8
    pop r10
    pop rdx
    pop rsi
    pop rdi
    pop r11
    pop rcx
    push r11
    popfq
    lea rsp, [rsp + 128]
    jmp rcx
    .size ms__syscall_entry, . - ms__syscall_entry

    .section .note.GNU-stack, "", @progbits
