/*
 * x86-64's struct stat (Linux's arch/x86 asm/stat.h, 144 bytes), what
 * stat, fstat, lstat and newfstatat fill: the one home of it for the
 * kernel (fs/open.c) and user/ programs.
 */
#ifndef UAPI_ASM_STAT_H
#define UAPI_ASM_STAT_H

#include <stdint.h>

struct stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint64_t st_nlink;
	uint32_t st_mode;
	uint32_t st_uid;
	uint32_t st_gid;
	uint32_t __pad0;
	uint64_t st_rdev;
	int64_t st_size;
	int64_t st_blksize;
	int64_t st_blocks; /* 512-byte units */
	uint64_t st_atime, st_atime_nsec;
	uint64_t st_mtime, st_mtime_nsec;
	uint64_t st_ctime, st_ctime_nsec;
	int64_t __reserved[3];
};
_Static_assert(sizeof(struct stat) == 144, "x86-64 struct stat");

#endif
