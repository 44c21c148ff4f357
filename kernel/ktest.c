/*
 * The in-kernel test runner: walks the ktest_suites section and prints KTAP
 * v1, one subtest block per suite (or one case of one suite: SUITE.CASE). After each suite the
 * after-suite hook (the memory invariant checker, once mm registers it) must hold, or the suite
 * fails: a test that leaks a page fails even if its own checks passed.
 * Fault injection a user armed is paused for the run and armed again after
 * it, so suites see the allocator they expect (the ones that test injection
 * arm it themselves) and the user's knobs come back as they were.
 */
#include "kernel/ktest.h"
#include "lib/string.h"

extern const struct ktest_suite __start_ktest_suites[], __stop_ktest_suites[];

int (*ktest_after_suite)(char *why, size_t len);
bool (*ktest_pause_run)(void);
void (*ktest_resume_run)(void);

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

/* Index of the case named @name in @s, or -1. */
static int find_case(const struct ktest_suite *s, const char *name)
{
	for (int i = 0; s->cases[i].name; i++)
		if (strcmp(s->cases[i].name, name) == 0)
			return i;
	return -1;
}

/*
 * Runs one suite as a KTAP subtest, or only its case @only (the plan is then
 * 1..1, the case keeps its number); returns its failed-case count.
 */
static int run_suite(const struct ktest_suite *s, int index, int only)
{
	int failed = 0, n = nr_cases(s);
	char why[160];

	const char *refused = s->init ? s->init() : NULL;

	printk("  KTAP version 1\n  # Subtest: %s\n  1..%d\n", s->name, only >= 0 ? 1 : n);
	if (refused)
		printk("  # %s: %s\n", s->name, refused);
	for (int i = 0; i < n; i++) {
		struct ktest t = {s->cases[i].name, false, NULL};

		if (only >= 0 && i != only)
			continue;

		if (refused)
			t.skip_reason = refused;
		else
			s->cases[i].run(&t);
		if (t.skip_reason)
			printk("  ok %d %s # SKIP %s\n", only >= 0 ? 1 : i + 1, t.name,
			       t.skip_reason);
		else
			printk("  %s %d %s\n", t.failed ? "not ok" : "ok", only >= 0 ? 1 : i + 1,
			       t.name);
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

/* Splits "SUITE.CASE" in @buf (a copy of @arg); *case_name is NULL without a dot. */
static const char *split_case(const char *arg, char *buf, size_t len, const char **case_name)
{
	char *dot;

	snprintf(buf, len, "%s", arg);
	dot = strchr(buf, '.');
	*case_name = NULL;
	if (dot) {
		*dot = 0;
		*case_name = dot + 1;
	}
	return buf;
}

int ktest_run(const char *only)
{
	int failed = 0, n = 0, index = 0, case_index = -1;
	const char *case_name = NULL;
	char suite_buf[64];

	if (only)
		only = split_case(only, suite_buf, sizeof(suite_buf), &case_name);
	for (const struct ktest_suite *s = __start_ktest_suites; s < __stop_ktest_suites; s++) {
		if (only && strcmp(s->name, only) != 0)
			continue;
		n++;
		if (case_name)
			case_index = find_case(s, case_name);
	}
	if (only && n == 0) {
		printk("selftest: %s: no such suite (try `selftest list`)\n", only);
		return -1;
	}
	if (case_name && case_index < 0) {
		printk("selftest: %s: no case %s in it (try `selftest list %s`)\n", only, case_name,
		       only);
		return -1;
	}
	printk("KTAP version 1\n1..%d\n", n);
	if (ktest_pause_run && ktest_pause_run())
		printk("# selftest: fail_page_alloc paused for the run, armed again after it\n");
	for (const struct ktest_suite *s = __start_ktest_suites; s < __stop_ktest_suites; s++)
		if (!only || strcmp(s->name, only) == 0)
			failed += run_suite(s, ++index, case_index);
	if (ktest_resume_run)
		ktest_resume_run();
	printk("# selftest: %d suite%s, %d failed case%s\n", n, n == 1 ? "" : "s", failed,
	       failed == 1 ? "" : "s");
	return failed;
}

void ktest_list(const char *suite)
{
	for (const struct ktest_suite *s = __start_ktest_suites; s < __stop_ktest_suites; s++) {
		if (suite && strcmp(s->name, suite) != 0)
			continue;
		printk("%s: %d cases\n", s->name, nr_cases(s));
		for (int i = 0; suite && s->cases[i].name; i++)
			printk("  %s.%s\n", s->name, s->cases[i].name);
	}
}
