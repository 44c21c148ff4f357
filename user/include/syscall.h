/*
 * Raw Linux x86-64 system calls for user/ programs (their numbers are in
 * include/uapi/asm/unistd_64.h, shared with the kernel), and the one place
 * user code holds inline asm (SYSCALL, and CPUID for accel=). Number in rax, arguments in
 * rdi, rsi, rdx, r10, r8, r9; the SYSCALL instruction clobbers rcx (return RIP) and r11 (RFLAGS);
 * the result comes back in rax, -errno (-4095..-1) on failure. The same numbers work on Linux and
 * on flushlab (task/ implements them).
 */
#ifndef USER_SYSCALL_H
#define USER_SYSCALL_H

#include "uapi/asm/unistd_64.h"

static inline long __syscall0(long n)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(n) : "rcx", "r11", "memory");
	return ret;
}

static inline long __syscall1(long n, long a1)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a1) : "rcx", "r11", "memory");
	return ret;
}

static inline long __syscall2(long n, long a1, long a2)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a1), "S"(a2) : "rcx", "r11", "memory");
	return ret;
}

static inline long __syscall3(long n, long a1, long a2, long a3)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long __syscall4(long n, long a1, long a2, long a3, long a4)
{
	register long r10 __asm__("r10") = a4;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long __syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define __syscall5(n, a1, a2, a3, a4, a5) __syscall6(n, a1, a2, a3, a4, a5, 0)

/* Set RFLAGS.TF: the CPU raises #DB after the next instruction (a debugger's single step). */
static inline void __single_step(void)
{
	__asm__ volatile("pushfq; orq $0x100, (%%rsp); popfq" ::: "memory", "cc");
}

/* CPUID is unprivileged: it tells user space who emulates the CPU. */
static inline void __cpuid(unsigned int leaf, unsigned int *a, unsigned int *b, unsigned int *c,
			   unsigned int *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

/*
 * Instructions that fault on purpose, for the signal tests (user/sigtest.c):
 * a handler steps over them by their length in bytes.
 */
#define FAULT_STORE_LEN 6 /* movl $1, (%rdi): c7 07 01 00 00 00 */
static inline void __fault_store(volatile void *p)
{
	__asm__ volatile("movl $1, (%%rdi)" : : "D"(p) : "memory");
}

#define UD2_LEN 2
static inline void __ud2(void)
{
	__asm__ volatile("ud2" ::: "memory");
}

#define HLT_LEN 1 /* privileged: #GP in ring 3 */
static inline void __hlt(void)
{
	__asm__ volatile("hlt" ::: "memory");
}

/* int3 traps after itself: the handler's RIP is already past it. */
static inline void __int3(void)
{
	__asm__ volatile("int3" ::: "memory");
}

static inline unsigned long __read_cs(void)
{
	unsigned long cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	return cs;
}

static inline unsigned long __read_rflags(void)
{
	unsigned long f;

	__asm__ volatile("pushfq; pop %0" : "=r"(f));
	return f;
}

/* XMM0's low quadword: the compiler never uses it here (-mgeneral-regs-only). */
static inline void __xmm0_set(unsigned long v)
{
	__asm__ volatile("movq %0, %%xmm0" : : "r"(v) : "memory");
}

static inline unsigned long __xmm0_get(void)
{
	unsigned long v;

	__asm__ volatile("movq %%xmm0, %0" : "=r"(v) : : "memory");
	return v;
}

#endif
