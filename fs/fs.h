/*
 * The file layer's interface to task/: a process's open files (the
 * console on fds 0-2, ramfs and pseudo-files, /dev/daxR.N, tmpfs files
 * at /tmp and /dev/shm, memfds, pipes) and the file system calls. The
 * sys_* functions take the syscall frame and are what task/syscall.c's
 * table points at; Linux's semantics and errnos throughout.
 */
#ifndef FS_FS_H
#define FS_FS_H

#include <stddef.h>
#include <stdint.h>

#include "uapi/fcntl.h"

/* The most one read, write or getrandom moves (Linux's MAX_RW_COUNT: INT_MAX & PAGE_MASK). */
#define MAX_RW_COUNT 0x7ffff000L

struct task_struct;
struct trap_frame;

long file_open(struct task_struct *t, uintptr_t upath, int flags);
long file_close(struct task_struct *t, int fd);
long file_read(struct task_struct *t, int fd, uintptr_t ubuf, size_t count);
long file_write(struct task_struct *t, int fd, uintptr_t ubuf, size_t count);

/*
 * mmap of an fd (only /dev/daxR.N can be mapped: -ENODEV otherwise) and
 * ioctl (only /dev/daxR.N's pin calls: -ENOTTY otherwise).
 */
long file_mmap(struct task_struct *t, int fd, uintptr_t addr, size_t len, int prot, int flags,
	       uint64_t off, uintptr_t *out);
long file_ioctl(struct task_struct *t, int fd, unsigned long cmd, uintptr_t arg);

/* A new process's table: fds 0, 1, 2 the console; @exe for /proc/self/exe. */
void files_init(struct task_struct *t, const char *exe);

/* Close every fd of @t (exit). */
void files_close_all(struct task_struct *t);

/*
 * For fork (Linux's dup_fd): give @to (a new leader, table empty) a copy
 * of @from's table, each open file one more reference, close-on-exec bits
 * and the exe path copied. 0 (it cannot fail: the table is embedded).
 */
int dup_files(struct task_struct *to, struct task_struct *from);

/* For execve (Linux's do_close_on_exec): close the fds marked FD_CLOEXEC. */
void files_close_on_exec(struct task_struct *t);

/* Files open in the whole system (tests: 0 when no process runs). */
int nr_files_open(void);

/*
 * A kill of @leader's process (task/task.c): wake its threads asleep in a
 * pipe or poll. Called after the kill's lock is dropped, so the wake's
 * locked instructions order the killed store before the state load.
 */
void fs_wake_killed(struct task_struct *leader);

/* Boot: mount the tmpfs instances at /tmp and /dev/shm. */
void fs_init(void);

/* System calls (Linux x86-64 numbers in the comments). */
long sys_open(struct trap_frame *r);	     /* 2 */
long sys_openat(struct trap_frame *r);	     /* 257 */
long sys_creat(struct trap_frame *r);	     /* 85 */
long sys_newfstatat(struct trap_frame *r);   /* 262 */
long sys_fstat(struct trap_frame *r);	     /* 5 */
long sys_stat(struct trap_frame *r);	     /* 4 */
long sys_lstat(struct trap_frame *r);	     /* 6 */
long sys_lseek(struct trap_frame *r);	     /* 8 */
long sys_pread64(struct trap_frame *r);	     /* 17 */
long sys_pwrite64(struct trap_frame *r);     /* 18 */
long sys_getdents64(struct trap_frame *r);   /* 217 */
long sys_dup(struct trap_frame *r);	     /* 32 */
long sys_dup2(struct trap_frame *r);	     /* 33 */
long sys_dup3(struct trap_frame *r);	     /* 292 */
long sys_fcntl(struct trap_frame *r);	     /* 72 */
long sys_readlink(struct trap_frame *r);     /* 89 */
long sys_readlinkat(struct trap_frame *r);   /* 267 */
long sys_access(struct trap_frame *r);	     /* 21 */
long sys_faccessat(struct trap_frame *r);    /* 269 */
long sys_faccessat2(struct trap_frame *r);   /* 439 */
long sys_unlink(struct trap_frame *r);	     /* 87 */
long sys_unlinkat(struct trap_frame *r);     /* 263 */
long sys_rmdir(struct trap_frame *r);	     /* 84 */
long sys_mkdir(struct trap_frame *r);	     /* 83 */
long sys_mkdirat(struct trap_frame *r);	     /* 258 */
long sys_ftruncate(struct trap_frame *r);    /* 77 */
long sys_truncate(struct trap_frame *r);     /* 76 */
long sys_fallocate(struct trap_frame *r);    /* 285 */
long sys_memfd_create(struct trap_frame *r); /* 319 */
long sys_getcwd(struct trap_frame *r);	     /* 79 */
long sys_chdir(struct trap_frame *r);	     /* 80 */
long sys_pipe(struct trap_frame *r);	     /* 22 */
long sys_pipe2(struct trap_frame *r);	     /* 293 */
long sys_poll(struct trap_frame *r);	     /* 7 */
long sys_ppoll(struct trap_frame *r);	     /* 271 */

#endif
