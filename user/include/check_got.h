/*
 * The checks of the programs that print "NAME: ok checks=N" or one
 * "NAME: FAIL what (got V ERRNO)" line per failed check (vfs_files,
 * vfs_mmap, vfs_pipe). The including file names itself in CHECK_NAME
 * first. Builds for flushlab and for Linux alike.
 */
#ifndef USER_CHECK_GOT_H
#define USER_CHECK_GOT_H

#include <stdbool.h>

#include "ulib.h"

#ifndef CHECK_NAME
#define CHECK_NAME "check" /* each program names itself before it includes this */
#endif

static int checks, failed;

static inline void check(bool ok, const char *what, long got)
{
	checks++;
	if (!ok) {
		failed++;
		printf(CHECK_NAME ": FAIL %s (got %ld %s)\n", what, got,
		       got < 0 ? errno_name(got) : "");
	}
}

#endif
