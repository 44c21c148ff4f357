/*
 * The host test tier's harness: arch-neutral kernel code compiled for the host
 * (with ASan and UBSan) and checked case by case, printing KTAP v1 like the
 * in-kernel suites so one parser reads both. Usage:
 *
 *   HOST_TEST(buddy_splits) { EXPECT_EQ(3, f()); ASSERT_TRUE(p != NULL); }
 *   HOST_TEST_MAIN("buddy")
 *
 * EXPECT_* records a failure and goes on; ASSERT_* ends the case.
 */
#ifndef TESTS_HOST_HOST_TEST_H
#define TESTS_HOST_HOST_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct host_test {
	const char *name;
	void (*fn)(int *failed);
};

#define HOST_TEST_MAX 256
extern struct host_test host_tests[HOST_TEST_MAX];
extern int host_test_count;

#define HOST_TEST(name)                                                                            \
	static void host_test_##name(int *failed);                                                 \
	__attribute__((constructor)) static void host_test_register_##name(void)                   \
	{                                                                                          \
		host_tests[host_test_count++] = (struct host_test){#name, host_test_##name};       \
	}                                                                                          \
	static void host_test_##name(int *failed)

#define HT_REPORT(fmt, ...) printf("    # %s:%d: " fmt "\n", __FILE__, __LINE__, ##__VA_ARGS__)

#define EXPECT_TRUE(c)                                                                             \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			HT_REPORT("expected %s", #c);                                              \
			*failed = 1;                                                               \
		}                                                                                  \
	} while (0)
#define ASSERT_TRUE(c)                                                                             \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			HT_REPORT("assertion %s failed", #c);                                      \
			*failed = 1;                                                               \
			return;                                                                    \
		}                                                                                  \
	} while (0)
#define EXPECT_EQ(exp, act)                                                                        \
	do {                                                                                       \
		long long e_ = (long long)(exp), a_ = (long long)(act);                            \
		if (e_ != a_) {                                                                    \
			HT_REPORT("%s: expected %lld, got %lld", #act, e_, a_);                    \
			*failed = 1;                                                               \
		}                                                                                  \
	} while (0)
#define ASSERT_EQ(exp, act)                                                                        \
	do {                                                                                       \
		long long e_ = (long long)(exp), a_ = (long long)(act);                            \
		if (e_ != a_) {                                                                    \
			HT_REPORT("%s: expected %lld, got %lld", #act, e_, a_);                    \
			*failed = 1;                                                               \
			return;                                                                    \
		}                                                                                  \
	} while (0)
#define EXPECT_STREQ(exp, act)                                                                     \
	do {                                                                                       \
		const char *e_ = (exp), *a_ = (act);                                               \
		if (strcmp(e_, a_) != 0) {                                                         \
			HT_REPORT("%s: expected \"%s\", got \"%s\"", #act, e_, a_);                \
			*failed = 1;                                                               \
		}                                                                                  \
	} while (0)

/* Defines main(): runs every registered case, prints KTAP, exits 1 on failure. */
#define HOST_TEST_MAIN(suite)                                                                      \
	struct host_test host_tests[HOST_TEST_MAX];                                                \
	int host_test_count;                                                                       \
	int main(void)                                                                             \
	{                                                                                          \
		int bad = 0;                                                                       \
		setvbuf(stdout, NULL, _IONBF, 0);                                                  \
		printf("KTAP version 1\n1..1\n  KTAP version 1\n  1..%d\n", host_test_count);      \
		for (int i = 0; i < host_test_count; i++) {                                        \
			int failed = 0;                                                            \
			host_tests[i].fn(&failed);                                                 \
			printf("  %s %d %s\n", failed ? "not ok" : "ok", i + 1,                    \
			       host_tests[i].name);                                                \
			bad |= failed;                                                             \
		}                                                                                  \
		printf("%s 1 %s\n", bad ? "not ok" : "ok", suite);                                 \
		return bad;                                                                        \
	}

#endif
