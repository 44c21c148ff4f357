/*
 * A user program's own checks as KTAP lines: "ok N name", or the reason as
 * a "# name: why" line and then "not ok N name". For programs that are one
 * file: the counters are that file's, and it prints its own plan and
 * summary from them. Builds for flushlab and for Linux alike.
 */
#ifndef USER_KTAP_CHECK_H
#define USER_KTAP_CHECK_H

#include <stdbool.h>

#include "ulib.h"

static int nr_tests, nr_failed;

static inline void check(bool ok, const char *name, const char *why)
{
	nr_tests++;
	if (!ok) {
		printf("# %s: %s\n", name, why);
		nr_failed++;
	}
	printf("%sok %d %s\n", ok ? "" : "not ", nr_tests, name);
}

#endif
