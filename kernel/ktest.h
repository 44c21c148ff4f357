/*
 * In-kernel test suites, printed as KTAP v1 (Linux's
 * Documentation/dev-tools/ktap.rst). A suite is registered in the
 * "ktest_suites" linker section, so adding a test file is enough:
 *
 *   static void buddy_split(struct ktest *t) { KEXPECT_EQ(t, 3, f()); }
 *   static const struct ktest_case buddy_cases[] = { KTEST_CASE(buddy_split), {} };
 *   DEFINE_KTEST_SUITE(buddy, buddy_cases);
 *
 * KEXPECT_* records a failure and goes on; KASSERT_* ends the case. A case
 * that cannot run here (one CPU, say) calls KTEST_SKIP with the reason.
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include "lib/kernel.h"

struct ktest {
	const char *name;
	bool failed;
	const char *skip_reason;
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	const struct ktest_case *cases; /* ends with an empty entry */
	/*
	 * Optional, as KUnit's suite_init/suite_exit: init runs before the
	 * first case and may refuse (a reason: every case is skipped with it,
	 * e.g. a suite that would disturb state a user set up); exit runs after
	 * the last case when init did not refuse, and puts back what init saved.
	 */
	const char *(*init)(void);
	void (*exit)(void);
};

#define KTEST_CASE(fn)                                                                             \
	{                                                                                          \
#fn, fn                                                                            \
	}

#define DEFINE_KTEST_SUITE_ENV(sname, case_array, init_fn, exit_fn)                                \
	static const struct ktest_suite ktest_suite_##sname                                        \
	    __attribute__((used, section("ktest_suites"), aligned(8))) = {#sname, case_array,      \
									  init_fn, exit_fn}
#define DEFINE_KTEST_SUITE(sname, case_array) DEFINE_KTEST_SUITE_ENV(sname, case_array, NULL, NULL)

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...) __printf(4, 5);

#define KEXPECT_TRUE(t, c)                                                                         \
	do {                                                                                       \
		if (!(c))                                                                          \
			ktest_fail(t, __FILE__, __LINE__, "expected %s", #c);                      \
	} while (0)
#define KASSERT_TRUE(t, c)                                                                         \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			ktest_fail(t, __FILE__, __LINE__, "assertion %s failed", #c);              \
			return;                                                                    \
		}                                                                                  \
	} while (0)
#define KEXPECT_EQ(t, exp, act)                                                                    \
	do {                                                                                       \
		long long e_ = (long long)(exp), a_ = (long long)(act);                            \
		if (e_ != a_)                                                                      \
			ktest_fail(t, __FILE__, __LINE__, "%s: expected %lld, got %lld", #act, e_, \
				   a_);                                                            \
	} while (0)
#define KASSERT_EQ(t, exp, act)                                                                    \
	do {                                                                                       \
		long long e_ = (long long)(exp), a_ = (long long)(act);                            \
		if (e_ != a_) {                                                                    \
			ktest_fail(t, __FILE__, __LINE__, "%s: expected %lld, got %lld", #act, e_, \
				   a_);                                                            \
			return;                                                                    \
		}                                                                                  \
	} while (0)
#define KTEST_SKIP(t, reason)                                                                      \
	do {                                                                                       \
		(t)->skip_reason = (reason);                                                       \
		return;                                                                            \
	} while (0)

/*
 * Hooks the layers above install (the harness knows none of them by name):
 * after_suite runs after each suite (mm's memory invariant checker) and a
 * non-zero return fails it; pause_run/resume_run bracket a whole run (mm's
 * page-allocation fault injection is paused for it: pause_run returns
 * whether anything was armed, and the run says so).
 */
extern int (*ktest_after_suite)(char *why, size_t len);
extern bool (*ktest_pause_run)(void);
extern void (*ktest_resume_run)(void);

/*
 * Run every suite, the one named (SUITE), or one case of it (SUITE.CASE);
 * returns the number of failed cases, -1 for a name that matches nothing.
 */
int ktest_run(const char *only);
/* Print "name: N cases" for each suite, or for @suite with its cases' names. */
void ktest_list(const char *suite);

#endif
