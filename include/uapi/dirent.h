/*
 * getdents64(2)'s record (Linux's linux/dirent.h struct linux_dirent64)
 * and its d_type values: the one home of them for the kernel (fs/) and
 * user/ programs.
 */
#ifndef UAPI_DIRENT_H
#define UAPI_DIRENT_H

#include <stdint.h>

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen; /* the record padded to 8 bytes */
	unsigned char d_type;	 /* DT_* */
	char d_name[];		 /* NUL-terminated */
};

#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12

#endif
