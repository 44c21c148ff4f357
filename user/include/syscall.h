/*
 * Raw Linux x86-64 system calls for user/ programs: the numbers, and the
 * one place user code holds inline asm (SYSCALL, and CPUID for accel=). Number in rax, arguments in
 * rdi, rsi, rdx, r10, r8, r9; the SYSCALL instruction clobbers rcx (return RIP) and r11 (RFLAGS);
 * the result comes back in rax, -errno (-4095..-1) on failure. The same numbers work on Linux and
 * on flushlab (task/ implements them).
 */
#ifndef USER_SYSCALL_H
#define USER_SYSCALL_H

#define __NR_read 0
#define __NR_write 1
#define __NR_open 2
#define __NR_close 3
#define __NR_stat 4
#define __NR_fstat 5
#define __NR_lstat 6
#define __NR_poll 7
#define __NR_lseek 8
#define __NR_mmap 9
#define __NR_mprotect 10
#define __NR_munmap 11
#define __NR_brk 12
#define __NR_ioctl 16
#define __NR_pread64 17
#define __NR_pwrite64 18
#define __NR_writev 20
#define __NR_access 21
#define __NR_pipe 22
#define __NR_sched_yield 24
#define __NR_madvise 28
#define __NR_dup 32
#define __NR_dup2 33
#define __NR_getpid 39
#define __NR_clone 56
#define __NR_exit 60
#define __NR_wait4 61
#define __NR_kill 62
#define __NR_uname 63
#define __NR_fcntl 72
#define __NR_truncate 76
#define __NR_ftruncate 77
#define __NR_getcwd 79
#define __NR_mkdir 83
#define __NR_rmdir 84
#define __NR_unlink 87
#define __NR_readlink 89
#define __NR_arch_prctl 158
#define __NR_gettid 186
#define __NR_futex 202
#define __NR_sched_setaffinity 203
#define __NR_sched_getaffinity 204
#define __NR_getdents64 217
#define __NR_set_tid_address 218
#define __NR_clock_gettime 228
#define __NR_exit_group 231
#define __NR_openat 257
#define __NR_newfstatat 262
#define __NR_unlinkat 263
#define __NR_faccessat 269
#define __NR_fallocate 285
#define __NR_dup3 292
#define __NR_pipe2 293
#define __NR_getcpu 309
#define __NR_memfd_create 319

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

#endif
