/*
 * Error numbers with Linux's values and messages, so console errors read
 * exactly like a Linux shell's ("Invalid argument"). Kernel functions return
 * 0 or a negative errno, as in Linux.
 */
#ifndef LIB_ERRNO_H
#define LIB_ERRNO_H

#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define ENOEXEC 8
#define EBADF 9
#define ECHILD 10
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define ENOTDIR 20
#define EISDIR 21
#define EINVAL 22
#define ENFILE 23
#define EMFILE 24
#define ENOTTY 25
#define EFBIG 27
#define ENOSPC 28
#define ESPIPE 29
#define EROFS 30
#define ERANGE 34
#define ENAMETOOLONG 36
#define ENOSYS 38
#define EOPNOTSUPP 95
#define ETIMEDOUT 110

/*
 * Kernel-internal: a system call interrupted by a signal asks the signal
 * code how to end (Linux's include/linux/errno.h): restart it, or -EINTR
 * if a handler ran (always for NOHAND and RESTARTBLOCK; for ERESTARTSYS
 * unless SA_RESTART). User space never sees these.
 */
#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ERESTART_RESTARTBLOCK 516

/* The message for a positive errno value ("Invalid argument"). */
const char *errstr(int err);

#endif
