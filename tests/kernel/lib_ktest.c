/*
 * In-kernel checks of lib/: the formatter, string routines and number
 * parsing as the freestanding build compiles them (the host tier tests the
 * same sources with libc around them; this proves the kernel build agrees).
 */
#include "kernel/ktest.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "lib/string.h"

static void expect_fmt(struct ktest *t, const char *want, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strcmp(buf, want) != 0)
		ktest_fail(t, __FILE__, __LINE__, "format \"%s\": expected \"%s\", got \"%s\"", fmt,
			   want, buf);
}

static void vsnprintf_formats(struct ktest *t)
{
	expect_fmt(t, "42 -7 ff 0x1f 0755", "%d %d %x %#x %04o", 42, -7, 255, 31, 493);
	expect_fmt(t, "|  ab|ab  |", "|%4s|%-4s|", "ab", "ab");
	expect_fmt(t, "18446744073709551615", "%lu", ~0UL);
	expect_fmt(t, "-9223372036854775808", "%lld", (long long)(1ULL << 63));
	expect_fmt(t, "00042", "%05d", 42);
	expect_fmt(t, "(null)", "%s", (char *)NULL);
}

static void vsnprintf_truncates(struct ktest *t)
{
	char buf[8];
	int n = snprintf(buf, sizeof(buf), "%s", "0123456789");

	KEXPECT_EQ(t, 10, n);
	KEXPECT_EQ(t, 0, strcmp(buf, "0123456"));
	KEXPECT_EQ(t, 3, snprintf(NULL, 0, "abc"));
}

static void string_routines(struct ktest *t)
{
	char a[16] = "abcdef";

	memmove(a + 2, a, 4);
	KEXPECT_EQ(t, 0, strcmp(a, "ababcd"));
	KEXPECT_TRUE(t, memcmp("ab", "ac", 2) < 0);
	KEXPECT_EQ(t, 5, strnlen("hello world", 5));
	KEXPECT_TRUE(t, strchr("a/b", '/') != NULL);
}

static void kstrtox_parses(struct ktest *t)
{
	unsigned long long v;

	KEXPECT_EQ(t, 0, kstrtoull("2048\n", 0, &v));
	KEXPECT_EQ(t, 2048, v);
	KEXPECT_EQ(t, 0, kstrtoull("0x10", 0, &v));
	KEXPECT_EQ(t, 16, v);
	KEXPECT_EQ(t, -EINVAL, kstrtoull("-1", 0, &v));
	KEXPECT_EQ(t, -EINVAL, kstrtoull("12abc", 0, &v));
	KEXPECT_EQ(t, -ERANGE, kstrtoull("99999999999999999999", 0, &v));
}

static const struct ktest_case lib_cases[] = {
    KTEST_CASE(vsnprintf_formats),
    KTEST_CASE(vsnprintf_truncates),
    KTEST_CASE(string_routines),
    KTEST_CASE(kstrtox_parses),
    {},
};
DEFINE_KTEST_SUITE(lib, lib_cases);
