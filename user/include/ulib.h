/*
 * flushlab's user runtime (user/lib/): what a user/ program may call. The
 * same sources build for flushlab and for Linux; only the kernel differs.
 *
 * Convention: system-call wrappers return what the kernel returned, so a
 * failure is a negative errno (-EFAULT), not -1 plus a global errno; mmap()
 * fails with a value for which IS_ERR_PTR() is true. That keeps the answers
 * of the two kernels directly comparable (badcalls prints them).
 */
#ifndef USER_ULIB_H
#define USER_ULIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The ABI's constants, shared with the kernel; errno values come back negated. */
#include "uapi/errno.h"
#include "uapi/fcntl.h"
#include "uapi/asm/stat.h"
#include "uapi/dirent.h"
#include "uapi/mman.h"
#include "uapi/poll.h"
#include "uapi/stat.h"
#include "uapi/time.h"
#include "uapi/wait.h"

typedef long ssize_t;
typedef int pid_t;

#define IS_ERR_PTR(p) ((unsigned long)(p) >= (unsigned long)-4095)
#define PTR_ERR(p) ((long)(p))

#define PAGE_SIZE 4096UL

/* Process start (crt0): what the kernel put on the initial stack. */
extern char **environ;
unsigned long getauxval(unsigned long type);

/* Files and processes */
ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int open(const char *path, int flags, ...);
int close(int fd);
/* Files (fs/): each returns the kernel's answer, -errno on failure. */
int openat(int dirfd, const char *path, int flags, int mode);
int fstat(int fd, struct stat *st);
int stat(const char *path, struct stat *st);
int lstat(const char *path, struct stat *st);
int fstatat(int dirfd, const char *path, struct stat *st, int flags);
long lseek(int fd, long off, int whence);
ssize_t pread(int fd, void *buf, size_t n, long off);
ssize_t pwrite(int fd, const void *buf, size_t n, long off);
long getdents64(int fd, void *buf, size_t n);
int dup(int fd);
int dup2(int oldfd, int newfd);
int dup3(int oldfd, int newfd, int flags);
int fcntl(int fd, int cmd, long arg);
ssize_t readlink(const char *path, char *buf, size_t n);
int access(const char *path, int mode);
int faccessat(int dirfd, const char *path, int mode, int flags);
int unlink(const char *path);
int unlinkat(int dirfd, const char *path, int flags);
int mkdir(const char *path, int mode);
int rmdir(const char *path);
int ftruncate(int fd, long len);
int fallocate(int fd, int mode, long off, long len);
int memfd_create(const char *name, unsigned int flags);
long getcwd(char *buf, size_t n);
int pipe2(int fds[2], int flags);
int poll(struct pollfd *fds, unsigned long nfds, int timeout_ms);
long ioctl(int fd, unsigned long cmd, void *arg); /* the kernel's answer, or -errno */
pid_t getpid(void);
pid_t gettid(void);
__attribute__((noreturn)) void exit(int status); /* exit_group: every thread */
/* Processes: fork is glibc's clone(CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD). */
pid_t fork(void);
pid_t sys_fork(void);	   /* the old fork(2), number 57 */
pid_t vfork(void);	   /* user/lib/vfork.S: the child must only exec or exit */
long fork_then_wait(void); /* user/lib/fork_wait.S: the parent resumes once the child ended */
pid_t wait4(pid_t pid, int *wstatus, int options, void *rusage);
pid_t waitpid(pid_t pid, int *wstatus, int options);
int waitid(int idtype, int id, void *infop, int options);
pid_t getppid(void);
int execve(const char *path, char *const argv[], char *const envp[]);
int sched_yield(void);

/* Memory */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
int madvise(void *addr, size_t len, int advice);
void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...); /* void *new_address */
int mlock(const void *addr, size_t len);
int munlock(const void *addr, size_t len);
void *malloc(size_t n);
void *calloc(size_t nmemb, size_t size);
void free(void *p);

/* Time: clock_gettime returns 0 or -errno; now_ns is CLOCK_MONOTONIC in ns. */
int clock_gettime(int clock, struct timespec *ts);
uint64_t now_ns(void);

/* CPUs: the mask is one bit per CPU, up to 64 CPUs in one word. */
int sched_setaffinity(pid_t pid, size_t len, const void *mask);
int sched_getaffinity(pid_t pid, size_t len, void *mask);
int sched_getcpu(void);	 /* the CPU we run on, or -errno */
int pin_to_cpu(int cpu); /* sched_setaffinity(0, one bit) */
int nr_cpus(void);	 /* CPUs this process may run on */

/* Threads: clone(CLONE_VM|...|CLONE_THREAD) on an mmap'ed stack; join waits
 * on the tid word that the kernel clears at exit (CLONE_CHILD_CLEARTID). */
struct thread;
struct thread *thread_create(int (*fn)(void *), void *arg); /* IS_ERR_PTR on failure */
int thread_join(struct thread *t);			    /* fn's return value */
long futex_wait(volatile int *addr, int val);
long futex_wake(volatile int *addr, int n);

/* Strings and memory */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strstr(const char *hay, const char *needle);

/* Formatted output: %d %i %u %x %X %o %p %s %c %%, l/ll/z/h, width, '-', '0', .prec */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int puts(const char *s);

/* Arguments: "size=64M" style key=value parsing for workloads. */
const char *arg_value(int argc, char **argv, const char *key); /* NULL if absent */
int parse_size(const char *s, uint64_t *out); /* 4096, 64K, 16M, 1G; 0 or -EINVAL */
const char *accel_name(void);		      /* tcg, kvm, vm, metal: CPUID, like the kernel */
const char *errno_name(long err);	      /* -EFAULT -> "EFAULT" */

/* Files and counters for workloads. */
ssize_t read_file(const char *path, char *buf, size_t size); /* NUL-ended; bytes or -errno */
long vmstat_read(const char *name);   /* a /proc/vmstat counter, -1 if absent */
void sort_u64(uint64_t *v, size_t n); /* ascending: v[n / 2] is the median */

#endif
