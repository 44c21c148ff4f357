/*
 * Wrappers for the file calls (fs/ on flushlab): each returns the
 * kernel's answer unchanged, a value or -errno, as syscalls.c's do.
 */
#include "syscall.h"
#include "ulib.h"

int openat(int dirfd, const char *path, int flags, int mode)
{
	return (int)__syscall4(__NR_openat, dirfd, (long)path, flags, mode);
}

int fstat(int fd, struct stat *st)
{
	return (int)__syscall2(__NR_fstat, fd, (long)st);
}

int stat(const char *path, struct stat *st)
{
	return (int)__syscall2(__NR_stat, (long)path, (long)st);
}

int lstat(const char *path, struct stat *st)
{
	return (int)__syscall2(__NR_lstat, (long)path, (long)st);
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return (int)__syscall4(__NR_newfstatat, dirfd, (long)path, (long)st, flags);
}

long lseek(int fd, long off, int whence)
{
	return __syscall3(__NR_lseek, fd, off, whence);
}

ssize_t pread(int fd, void *buf, size_t n, long off)
{
	return __syscall4(__NR_pread64, fd, (long)buf, (long)n, off);
}

ssize_t pwrite(int fd, const void *buf, size_t n, long off)
{
	return __syscall4(__NR_pwrite64, fd, (long)buf, (long)n, off);
}

long getdents64(int fd, void *buf, size_t n)
{
	return __syscall3(__NR_getdents64, fd, (long)buf, (long)n);
}

int dup(int fd)
{
	return (int)__syscall1(__NR_dup, fd);
}

int dup2(int oldfd, int newfd)
{
	return (int)__syscall2(__NR_dup2, oldfd, newfd);
}

int dup3(int oldfd, int newfd, int flags)
{
	return (int)__syscall3(__NR_dup3, oldfd, newfd, flags);
}

int fcntl(int fd, int cmd, long arg)
{
	return (int)__syscall3(__NR_fcntl, fd, cmd, arg);
}

ssize_t readlink(const char *path, char *buf, size_t n)
{
	return __syscall3(__NR_readlink, (long)path, (long)buf, (long)n);
}

int access(const char *path, int mode)
{
	return (int)__syscall2(__NR_access, (long)path, mode);
}

int faccessat(int dirfd, const char *path, int mode, int flags)
{
	return (int)__syscall4(__NR_faccessat, dirfd, (long)path, mode, flags);
}

int unlink(const char *path)
{
	return (int)__syscall1(__NR_unlink, (long)path);
}

int unlinkat(int dirfd, const char *path, int flags)
{
	return (int)__syscall3(__NR_unlinkat, dirfd, (long)path, flags);
}

int mkdir(const char *path, int mode)
{
	return (int)__syscall2(__NR_mkdir, (long)path, mode);
}

int rmdir(const char *path)
{
	return (int)__syscall1(__NR_rmdir, (long)path);
}

int ftruncate(int fd, long len)
{
	return (int)__syscall2(__NR_ftruncate, fd, len);
}

int fallocate(int fd, int mode, long off, long len)
{
	return (int)__syscall4(__NR_fallocate, fd, mode, off, len);
}

int memfd_create(const char *name, unsigned int flags)
{
	return (int)__syscall2(__NR_memfd_create, (long)name, flags);
}

long getcwd(char *buf, size_t n)
{
	return __syscall2(__NR_getcwd, (long)buf, (long)n);
}

int pipe2(int fds[2], int flags)
{
	return (int)__syscall2(__NR_pipe2, (long)fds, flags);
}

int poll(struct pollfd *fds, unsigned long nfds, int timeout_ms)
{
	return (int)__syscall3(__NR_poll, (long)fds, (long)nfds, timeout_ms);
}
