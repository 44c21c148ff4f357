/*
 * The in-kernel test runner: walks the ktest_suites section and prints KTAP
 * v1, one subtest block per suite. After each suite the after-suite hook (the
 * memory invariant checker, once mm registers it) must hold, or the suite
 * fails: a test that leaks a page fails even if its own checks passed.
 * Fault injection a user armed is paused for the run and armed again after
 * it, so suites see the allocator they expect (the ones that test injection
 * arm it themselves) and the user's knobs come back as they were.
 */
#include "kernel/ktest.h"
#include "lib/string.h"
#include "mm/fail_page_alloc.h"

extern const struct ktest_suite __start_ktest_suites[], __stop_ktest_suites[];

int (*ktest_after_suite)(char *why, size_t len);

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("    # %s: %s (%s:%d)\n", t->name, msg, file, line);
	t->failed = true;
}

static int nr_cases(const struct ktest_suite *s)
{
	int n = 0;

	while (s->cases[n].name)
		n++;
	return n;
}

/* Runs one suite as a KTAP subtest; returns its failed-case count. */
static int run_suite(const struct ktest_suite *s, int index)
{
	int failed = 0, n = nr_cases(s);
	char why[160];

	const char *refused = s->init ? s->init() : NULL;

	printk("  KTAP version 1\n  # Subtest: %s\n  1..%d\n", s->name, n);
	if (refused)
		printk("  # %s: %s\n", s->name, refused);
	for (int i = 0; i < n; i++) {
		struct ktest t = {s->cases[i].name, false, NULL};

		if (refused)
			t.skip_reason = refused;
		else
			s->cases[i].run(&t);
		if (t.skip_reason)
			printk("  ok %d %s # SKIP %s\n", i + 1, t.name, t.skip_reason);
		else
			printk("  %s %d %s\n", t.failed ? "not ok" : "ok", i + 1, t.name);
		failed += t.failed;
	}
	if (s->exit && !refused)
		s->exit();
	why[0] = 0;
	if (ktest_after_suite && ktest_after_suite(why, sizeof(why))) {
		printk("  # %s: invariant broken after suite: %s\n", s->name, why);
		failed++;
	}
	printk("%s %d %s\n", failed ? "not ok" : "ok", index, s->name);
	return failed;
}

int ktest_run(const char *only)
{
	int failed = 0, n = 0, index = 0;

	for (const struct ktest_suite *s = __start_ktest_suites; s < __stop_ktest_suites; s++)
		n += !only || strcmp(s->name, only) == 0;
	if (only && n == 0) {
		printk("selftest: %s: no such suite (try `selftest list`)\n", only);
		return -1;
	}
	printk("KTAP version 1\n1..%d\n", n);
	if (fail_page_alloc_pause())
		printk("# selftest: fail_page_alloc paused for the run, armed again after it\n");
	for (const struct ktest_suite *s = __start_ktest_suites; s < __stop_ktest_suites; s++)
		if (!only || strcmp(s->name, only) == 0)
			failed += run_suite(s, ++index);
	fail_page_alloc_resume();
	printk("# selftest: %d suite%s, %d failed case%s\n", n, n == 1 ? "" : "s", failed,
	       failed == 1 ? "" : "s");
	return failed;
}

void ktest_list(void)
{
	for (const struct ktest_suite *s = __start_ktest_suites; s < __stop_ktest_suites; s++)
		printk("%s: %d cases\n", s->name, nr_cases(s));
}
