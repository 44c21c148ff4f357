/*
 * readv(2)/writev(2)'s vector, with Linux's layout and limit (linux/uio.h):
 * the one home of them for the kernel (task/syscall.c) and user/ programs.
 */
#ifndef UAPI_UIO_H
#define UAPI_UIO_H

struct iovec {
	void *iov_base;	       /* a user address */
	unsigned long iov_len; /* size_t */
};

#define UIO_MAXIOV 1024 /* the most segments one call takes (IOV_MAX in POSIX) */

#endif
