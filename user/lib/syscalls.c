/*
 * Thin wrappers over the raw system calls: each returns the kernel's answer
 * unchanged (a value, or -errno), see ulib.h. Nothing here caches or retries.
 */
#include "syscall.h"
#include "ulib.h"
#include "uapi/futex.h"

ssize_t read(int fd, void *buf, size_t n)
{
	return __syscall3(__NR_read, fd, (long)buf, (long)n);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	return __syscall3(__NR_write, fd, (long)buf, (long)n);
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	int mode;

	va_start(ap, flags);
	mode = (flags & O_CREAT) ? va_arg(ap, int) : 0;
	va_end(ap);
	return (int)__syscall3(__NR_open, (long)path, flags, mode);
}

int close(int fd)
{
	return (int)__syscall1(__NR_close, fd);
}

pid_t getpid(void)
{
	return (pid_t)__syscall0(__NR_getpid);
}

pid_t gettid(void)
{
	return (pid_t)__syscall0(__NR_gettid);
}

int sched_yield(void)
{
	return (int)__syscall0(__NR_sched_yield);
}

__attribute__((noreturn)) void exit(int status)
{
	for (;;) /* exit_group does not return; the loop tells the compiler so */
		__syscall1(__NR_exit_group, status);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	return (void *)__syscall6(__NR_mmap, (long)addr, (long)len, prot, flags, fd, off);
}

int munmap(void *addr, size_t len)
{
	return (int)__syscall2(__NR_munmap, (long)addr, (long)len);
}

int mprotect(void *addr, size_t len, int prot)
{
	return (int)__syscall3(__NR_mprotect, (long)addr, (long)len, prot);
}

int madvise(void *addr, size_t len, int advice)
{
	return (int)__syscall3(__NR_madvise, (long)addr, (long)len, advice);
}

long ioctl(int fd, unsigned long cmd, void *arg)
{
	return __syscall3(__NR_ioctl, fd, (long)cmd, (long)arg);
}

int clock_gettime(int clock, struct timespec *ts)
{
	return (int)__syscall2(__NR_clock_gettime, clock, (long)ts);
}

/* CLOCK_MONOTONIC in nanoseconds; 0 if the kernel has no clock for us. */
uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int sched_setaffinity(pid_t pid, size_t len, const void *mask)
{
	return (int)__syscall3(__NR_sched_setaffinity, pid, (long)len, (long)mask);
}

/* Linux returns the bytes of mask it wrote (a positive number) on success. */
int sched_getaffinity(pid_t pid, size_t len, void *mask)
{
	return (int)__syscall3(__NR_sched_getaffinity, pid, (long)len, (long)mask);
}

int sched_getcpu(void)
{
	unsigned int cpu = 0;
	long ret = __syscall3(__NR_getcpu, (long)&cpu, 0, 0);

	return ret < 0 ? (int)ret : (int)cpu;
}

int pin_to_cpu(int cpu)
{
	uint64_t mask = 1ULL << cpu;

	if (cpu < 0 || cpu >= 64)
		return -EINVAL;
	return sched_setaffinity(0, sizeof(mask), &mask);
}

/*
 * Shared (not FUTEX_PRIVATE) operations: the kernel's wake-up for
 * CLONE_CHILD_CLEARTID is a shared FUTEX_WAKE, and on Linux a private waiter
 * has a different key and would never see it.
 */
long futex_wait(volatile int *addr, int val)
{
	return __syscall4(__NR_futex, (long)addr, FUTEX_WAIT, val, 0);
}

long futex_wake(volatile int *addr, int n)
{
	return __syscall3(__NR_futex, (long)addr, FUTEX_WAKE, n);
}
