/*
 * Error messages for Linux's error numbers (include/uapi/errno.h, their one
 * home), so console errors read exactly like a Linux shell's ("Invalid
 * argument"). Kernel functions return 0 or a negative errno, as in Linux.
 */
#ifndef LIB_ERRNO_H
#define LIB_ERRNO_H

#include "uapi/errno.h"

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
