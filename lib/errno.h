/*
 * Error messages for Linux's error numbers (include/uapi/errno.h, their one
 * home), so console errors read exactly like a Linux shell's ("Invalid
 * argument"). Kernel functions return 0 or a negative errno, as in Linux.
 */
#ifndef LIB_ERRNO_H
#define LIB_ERRNO_H

#include "uapi/errno.h"

/* The message for a positive errno value ("Invalid argument"). */
const char *errstr(int err);

#endif
