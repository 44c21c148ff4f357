/*
 * A user program's own checks as KTAP lines: "ok N name", or the reason as
 * a "# name: why" line and then "not ok N name". For programs that are one
 * file: the counters are that file's, and it prints its own plan and
 * summary from them; or, for a program made of cases, ktap_run_cases does
 * it all. Builds for flushlab and for Linux alike.
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

/*
 * For programs that print one "NAME: ok" or "NAME: FAIL" line rather than
 * KTAP: a failed condition prints "FAIL function:line: " and the message,
 * and counts in nr_failed.
 */
#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		nr_tests++;                                                                        \
		if (!(cond)) {                                                                     \
			printf("FAIL %s:%d: ", __func__, __LINE__);                                \
			printf(__VA_ARGS__);                                                       \
			printf("\n");                                                              \
			nr_failed++;                                                               \
		}                                                                                  \
	} while (0)

/* A case of a program made of cases: its KTAP name and its test. */
struct ktap_case {
	const char *name;
	bool (*fn)(void);
};

/*
 * Run @n cases as one KTAP plan, in order, then "# @prog: F of N failed";
 * the program's exit status (1 if any failed).
 */
static inline int ktap_run_cases(const char *prog, const struct ktap_case *cases, int n)
{
	printf("KTAP version 1\n1..%d\n", n);
	for (int i = 0; i < n; i++) {
		bool ok = cases[i].fn();

		printf("%sok %d %s\n", ok ? "" : "not ", i + 1, cases[i].name);
		nr_failed += !ok;
	}
	printf("# %s: %d of %d failed\n", prog, nr_failed, n);
	return nr_failed ? 1 : 0;
}

#endif
