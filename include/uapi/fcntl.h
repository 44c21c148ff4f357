/*
 * open(2)/openat(2) flags, the *at() calls' AT_* flags, fcntl(2) commands,
 * lseek(2) whences and memfd seals, with Linux's x86-64 values
 * (asm-generic/fcntl.h, linux/fcntl.h, linux/fs.h): the one home of them
 * for the kernel and user/ programs. Octal, as Linux spells the O_* flags.
 */
#ifndef UAPI_FCNTL_H
#define UAPI_FCNTL_H

#define O_ACCMODE 00000003
#define O_RDONLY 00000000
#define O_WRONLY 00000001
#define O_RDWR 00000002
#define O_CREAT 00000100
#define O_EXCL 00000200
#define O_NOCTTY 00000400
#define O_TRUNC 00001000
#define O_APPEND 00002000
#define O_NONBLOCK 00004000
#define O_NDELAY O_NONBLOCK
#define O_DSYNC 00010000
#define O_ASYNC 00020000 /* Linux's FASYNC */
#define O_DIRECT 00040000
#define O_LARGEFILE 00100000 /* the kernel's value; glibc's x86-64 headers say 0 */
#define O_DIRECTORY 00200000
#define O_NOFOLLOW 00400000
#define O_NOATIME 01000000
#define O_CLOEXEC 02000000
#define O_SYNC (04000000 | O_DSYNC)
#define O_PATH 010000000
#define O_TMPFILE (020000000 | O_DIRECTORY)

/* The dirfd that means "the current directory", and the *at() flags. */
#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EACCESS 0x200   /* faccessat: effective ids */
#define AT_REMOVEDIR 0x200 /* unlinkat: rmdir */
#define AT_SYMLINK_FOLLOW 0x400
#define AT_NO_AUTOMOUNT 0x800
#define AT_EMPTY_PATH 0x1000

/* fcntl(2) commands and the descriptor flag. */
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_SETOWN 8
#define F_GETOWN 9
#define F_SETSIG 10
#define F_GETSIG 11
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#define F_LINUX_SPECIFIC_BASE 1024
#define F_SETLEASE (F_LINUX_SPECIFIC_BASE + 0)
#define F_GETLEASE (F_LINUX_SPECIFIC_BASE + 1)
#define F_DUPFD_CLOEXEC (F_LINUX_SPECIFIC_BASE + 6)
#define F_SETPIPE_SZ (F_LINUX_SPECIFIC_BASE + 7)
#define F_GETPIPE_SZ (F_LINUX_SPECIFIC_BASE + 8)
#define F_ADD_SEALS (F_LINUX_SPECIFIC_BASE + 9)
#define F_GET_SEALS (F_LINUX_SPECIFIC_BASE + 10)
#define FD_CLOEXEC 1

/* File seals (memfd_create with MFD_ALLOW_SEALING). */
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#define F_SEAL_FUTURE_WRITE 0x0010

/* fcntl(F_GETLK...) lock types. */
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2

/* lseek(2) whences. */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_DATA 3
#define SEEK_HOLE 4

/* access(2)/faccessat(2) modes. */
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

/* fallocate(2) modes (linux/falloc.h). */
#define FALLOC_FL_KEEP_SIZE 0x01
#define FALLOC_FL_PUNCH_HOLE 0x02
#define FALLOC_FL_NO_HIDE_STALE 0x04
#define FALLOC_FL_COLLAPSE_RANGE 0x08
#define FALLOC_FL_ZERO_RANGE 0x10
#define FALLOC_FL_INSERT_RANGE 0x20
#define FALLOC_FL_UNSHARE_RANGE 0x40

/* memfd_create(2) flags (linux/memfd.h); MFD_HUGETLB's size as mmap's MAP_HUGE_*. */
#define MFD_CLOEXEC 0x0001U
#define MFD_ALLOW_SEALING 0x0002U
#define MFD_HUGETLB 0x0004U
#define MFD_NOEXEC_SEAL 0x0008U
#define MFD_EXEC 0x0010U
#define MFD_HUGE_SHIFT 26
#define MFD_HUGE_MASK 0x3f
#define MFD_HUGE_2MB (21U << MFD_HUGE_SHIFT)
#define MFD_HUGE_1GB (30U << MFD_HUGE_SHIFT)

#endif
