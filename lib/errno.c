/* Messages for Linux's error numbers (include/uapi/errno.h), worded as glibc words them. */
#include "lib/errno.h"

const char *errstr(int err)
{
	switch (err < 0 ? -err : err) {
	case EPERM:
		return "Operation not permitted";
	case ENOENT:
		return "No such file or directory";
	case EINTR:
		return "Interrupted system call";
	case EIO:
		return "Input/output error";
	case E2BIG:
		return "Argument list too long";
	case ENOMEM:
		return "Cannot allocate memory";
	case EACCES:
		return "Permission denied";
	case EFAULT:
		return "Bad address";
	case EBUSY:
		return "Device or resource busy";
	case EEXIST:
		return "File exists";
	case ENOTDIR:
		return "Not a directory";
	case EISDIR:
		return "Is a directory";
	case EINVAL:
		return "Invalid argument";
	case EFBIG:
		return "File too large";
	case ENOSPC:
		return "No space left on device";
	case ERANGE:
		return "Numerical result out of range";
	case ENAMETOOLONG:
		return "File name too long";
	case ENOSYS:
		return "Function not implemented";
	case ENOTEMPTY:
		return "Directory not empty";
	case ELOOP:
		return "Too many levels of symbolic links";
	case EOVERFLOW:
		return "Value too large for defined data type";
	case EXDEV:
		return "Invalid cross-device link";
	case EPIPE:
		return "Broken pipe";
	case EOPNOTSUPP:
		return "Operation not supported";
	case ETIMEDOUT:
		return "Connection timed out";
	case ESRCH:
		return "No such process";
	case ENOEXEC:
		return "Exec format error";
	case EBADF:
		return "Bad file descriptor";
	case ECHILD:
		return "No child processes";
	case EAGAIN:
		return "Resource temporarily unavailable";
	case ENODEV:
		return "No such device";
	case ENFILE:
		return "Too many open files in system";
	case EMFILE:
		return "Too many open files";
	case ENOTTY:
		return "Inappropriate ioctl for device";
	case ESPIPE:
		return "Illegal seek";
	case EROFS:
		return "Read-only file system";
	default:
		return "Unknown error";
	}
}
