/*
 * A process's file descriptor table (Linux's files_struct), kept in the
 * group leader and shared by its threads (CLONE_FILES). fs/file.c owns
 * it; task/ only embeds it and calls files_init/files_close_all (fs/fs.h).
 */
#ifndef FS_FDTABLE_H
#define FS_FDTABLE_H

#include <stdint.h>

#define NR_OPEN 64	 /* file descriptors per process (one close_on_exec bit each) */
#define EXE_PATH_MAX 256 /* /proc/self/exe's target, with the NUL */

struct file;

struct files_struct {
	struct file *fd[NR_OPEN]; /* under fs/file.c's file_lock */
	uint64_t close_on_exec;	  /* bit n: fd n has FD_CLOEXEC */
	/* The program's path (Linux keeps it as mm->exe_file): readlink /proc/self/exe. */
	char exe[EXE_PATH_MAX];
};

#endif
