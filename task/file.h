/*
 * Open files of a process: pseudo-files (/proc, /sys, read and written
 * as the console's cat and echo do), ramfs files (read-only) and the
 * device files /dev/daxR.N of device-dax instances (mmap and ioctl). fds 0, 1
 * and 2 start as the console: writes go to the serial console, reads of
 * fd 0 give end-of-file (a foreground program gets no console input yet).
 */
#ifndef TASK_FILE_H
#define TASK_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "uapi/fcntl.h"

/* The most one read, write or getrandom moves (Linux's MAX_RW_COUNT: INT_MAX & PAGE_MASK). */
#define MAX_RW_COUNT 0x7ffff000L

struct task_struct;

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

/* fds 0, 1, 2: the console (a new task). */
void files_init(struct task_struct *t);

/* Close every fd of @t (exit). */
void files_close_all(struct task_struct *t);

/* Files open in the whole system (tests: 0 when no process runs). */
int nr_files_open(void);

#endif
