/*
 * The x86-64 signal frame (Linux's struct rt_sigframe, the ABI glibc's
 * sigaction and every unwinder rely on): built on the user stack before a
 * handler runs, read back and checked by rt_sigreturn. In task/, not
 * arch/: it reads the task's signal state and allocates (arch/ may not
 * reach up into task/ or mm/); the CPU parts it needs are arch/'s (fpu.h,
 * cpu.h, gdt.h).
 */
#ifndef TASK_SIGFRAME_H
#define TASK_SIGFRAME_H

#include <stdint.h>

#include "task/signal.h"

struct trap_frame;

/*
 * Write @sig's frame (registers of @regs, @oldmask, the FPU state, @info)
 * on the current thread's user stack (or its sigaltstack) and point @regs
 * at the handler. 0, or -EFAULT if the stack cannot take it (the caller
 * kills). Interrupts on: it may fault user pages in.
 */
int setup_rt_frame(int sig, const struct kernel_siginfo *info, const struct k_sigaction *ka,
		   sigset_t oldmask, struct trap_frame *regs);

/* rt_sigreturn(2): the registers, mask, altstack and FPU state of the frame at RSP - 8. */
long sys_rt_sigreturn(struct trap_frame *regs);

#endif
