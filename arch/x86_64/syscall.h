/*
 * The user/kernel boundary's mechanisms: SYSCALL MSR setup per CPU, the
 * entry stub (syscall.asm), the two ways back to ring 3 (SYSRET and IRETQ),
 * and the kernel-stack switch the scheduler and the foreground runner use.
 * Policy (which task runs, what a syscall does) lives in task/.
 */
#ifndef ARCH_X86_64_SYSCALL_H
#define ARCH_X86_64_SYSCALL_H

#include <stdint.h>

#include "arch/x86_64/traps.h"

/*
 * struct percpu offsets syscall.asm uses (asserted in syscall.c against
 * arch/x86_64/percpu.h, so the two cannot drift apart).
 */
#define PERCPU_TOP_OF_STACK 24
#define PERCPU_USER_RSP_SCRATCH 32

/*
 * trap_frame.vector of a SYSCALL frame (syscall.asm pushes -1); its
 * error_code slot then holds the system call number, Linux's orig_ax, or
 * -1 once nothing may restart it (task/signal.c).
 */
#define SYSCALL_FRAME_VECTOR ((uint64_t)-1)

/* EFER.SCE, STAR, LSTAR and FMASK on this CPU (gdt_init_cpu calls it). */
void syscall_init_cpu(void);

/* The SYSCALL entry point (MSR_LSTAR). */
void entry_SYSCALL_64(void);

/*
 * Implemented by the task layer: run the system call described by @regs
 * (number in rax, arguments in rdi, rsi, rdx, r10, r8, r9) and put the
 * result in regs->rax. Called with interrupts off, on the task's kernel
 * stack, GS already the kernel's.
 */
void do_syscall_64(struct trap_frame *regs);

/*
 * Switch kernel stacks: push the callee-saved registers, store RSP into
 * *@prev_sp, load @next_sp, pop, return into the other context, which
 * gets @prev as the return value (who ran before it). Interrupts off.
 */
void *__switch_to_asm(uintptr_t *prev_sp, uintptr_t next_sp, void *prev);

/*
 * Where a new task's first switch returns: it calls schedule_tail(prev)
 * (the task layer finishes the switch), then pops the struct trap_frame
 * laid out just above and IRETQs to ring 3.
 */
void ret_from_fork_asm(void);
/* A kernel thread's first return from __switch_to_asm: calls the function in RBX. */
void ret_from_kernel_thread(void);
void schedule_tail(void *prev);

/* Words __switch_to_asm pops before its RET: rbp, rbx, r12-r15. */
#define SWITCH_FRAME_WORDS 6

#endif
