/*
 * Host tests for lib/kstrtox.c, edge by edge: Linux's kstrto*() (sysfs,
 * debugfs), proc_strto*() (sysctl) and sysfs_streq (named choices).
 */
#include "tests/host/host_test.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"

HOST_TEST(kstrtoull_plain_and_newline)
{
	unsigned long long v = 7;

	EXPECT_EQ(0, kstrtoull("0", 10, &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(0, kstrtoull("5\n", 10, &v));
	EXPECT_EQ(5, v);
	EXPECT_EQ(0, kstrtoull("+42", 10, &v));
	EXPECT_EQ(42, v);
	EXPECT_EQ(0, kstrtoull("18446744073709551615", 10, &v));
	EXPECT_TRUE(v == ~0ULL);
}

HOST_TEST(kstrtoull_rejects_garbage)
{
	unsigned long long v = 99;

	EXPECT_EQ(-EINVAL, kstrtoull("", 10, &v));
	EXPECT_EQ(-EINVAL, kstrtoull("\n", 10, &v));
	EXPECT_EQ(-EINVAL, kstrtoull(" 5", 10, &v));
	EXPECT_EQ(-EINVAL, kstrtoull("5 ", 10, &v));
	EXPECT_EQ(-EINVAL, kstrtoull("5\n\n", 10, &v));
	EXPECT_EQ(-EINVAL, kstrtoull("12abc", 10, &v));
	EXPECT_EQ(-EINVAL, kstrtoull("-1", 10, &v));
	EXPECT_EQ(-EINVAL, kstrtoull("+", 10, &v));
	EXPECT_EQ(-EINVAL, kstrtoull("0x", 0, &v));
	EXPECT_EQ(-EINVAL, kstrtoull("0x", 16, &v));
	EXPECT_EQ(-EINVAL, kstrtoull("09", 0, &v)); /* octal */
	EXPECT_EQ(-EINVAL, kstrtoull("5", 1, &v));
	EXPECT_EQ(99, v); /* untouched on error */
}

HOST_TEST(kstrtoull_bases)
{
	unsigned long long v;

	EXPECT_EQ(0, kstrtoull("0x1F", 0, &v));
	EXPECT_EQ(31, v);
	EXPECT_EQ(0, kstrtoull("0XfF", 0, &v));
	EXPECT_EQ(255, v);
	EXPECT_EQ(0, kstrtoull("ff", 16, &v));
	EXPECT_EQ(255, v);
	EXPECT_EQ(0, kstrtoull("0x10", 16, &v));
	EXPECT_EQ(16, v);
	EXPECT_EQ(0, kstrtoull("017", 0, &v));
	EXPECT_EQ(15, v);
	EXPECT_EQ(0, kstrtoull("017", 10, &v));
	EXPECT_EQ(17, v);
	EXPECT_EQ(0, kstrtoull("0", 0, &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(0, kstrtoull("z", 36, &v));
	EXPECT_EQ(35, v);
	EXPECT_EQ(-EINVAL, kstrtoull("0x1g", 0, &v));
}

HOST_TEST(kstrtoull_overflow)
{
	unsigned long long v = 3;

	EXPECT_EQ(-ERANGE, kstrtoull("18446744073709551616", 10, &v));
	EXPECT_EQ(-ERANGE, kstrtoull("99999999999999999999999999", 10, &v));
	EXPECT_EQ(-ERANGE, kstrtoull("0x10000000000000000", 0, &v));
	EXPECT_EQ(3, v);
}

HOST_TEST(kstrtoll_signs)
{
	long long v;

	EXPECT_EQ(0, kstrtoll("-1", 10, &v));
	EXPECT_EQ(-1, v);
	EXPECT_EQ(0, kstrtoll("-9223372036854775808", 10, &v));
	EXPECT_TRUE(v == (-9223372036854775807LL - 1));
	EXPECT_EQ(-ERANGE, kstrtoll("-9223372036854775809", 10, &v));
	EXPECT_EQ(0, kstrtoll("9223372036854775807", 10, &v));
	EXPECT_EQ(-ERANGE, kstrtoll("9223372036854775808", 10, &v));
	EXPECT_EQ(-EINVAL, kstrtoll("--1", 10, &v));
	EXPECT_EQ(-EINVAL, kstrtoll("-+5", 10, &v)); /* was read as -5 */
	EXPECT_EQ(-EINVAL, kstrtoll("+-5", 10, &v));
	EXPECT_EQ(0, kstrtoll("+5", 10, &v));
	EXPECT_EQ(5, v);
	EXPECT_EQ(-EINVAL, kstrtoll("-", 10, &v));
	EXPECT_EQ(0, kstrtoll("-0x10\n", 0, &v));
	EXPECT_EQ(-16, v);
}

HOST_TEST(kstrto_narrow_types)
{
	unsigned int u;
	int i;
	unsigned long ul;
	long l;

	EXPECT_EQ(0, kstrtouint("4294967295", 10, &u));
	EXPECT_TRUE(u == 4294967295U);
	EXPECT_EQ(-ERANGE, kstrtouint("4294967296", 10, &u));
	EXPECT_EQ(-EINVAL, kstrtouint("-1", 10, &u));
	EXPECT_EQ(0, kstrtoint("-2147483648", 10, &i));
	EXPECT_EQ(-2147483648LL, i);
	EXPECT_EQ(-ERANGE, kstrtoint("2147483648", 10, &i));
	EXPECT_EQ(-ERANGE, kstrtoint("-2147483649", 10, &i));
	EXPECT_EQ(0, kstrtoul("123\n", 0, &ul));
	EXPECT_EQ(123, ul);
	EXPECT_EQ(0, kstrtol("-123", 0, &l));
	EXPECT_EQ(-123, l);
}

HOST_TEST(proc_strtoul_like_sysctl)
{
	unsigned long v = 7;

	EXPECT_EQ(0, proc_strtoul("5\n", &v));
	EXPECT_EQ(5, v);
	EXPECT_EQ(0, proc_strtoul("  5 \t\n", &v)); /* blanks around are fine */
	EXPECT_EQ(5, v);
	EXPECT_EQ(0, proc_strtoul("0x10", &v)); /* base 0, as sysctl */
	EXPECT_EQ(16, v);
	EXPECT_EQ(0, proc_strtoul("010\n", &v));
	EXPECT_EQ(8, v);
	EXPECT_EQ(0, proc_strtoul("18446744073709551615", &v));
	EXPECT_TRUE(v == ~0UL);
	v = 7;
	EXPECT_EQ(-EINVAL, proc_strtoul("+5", &v));
	EXPECT_EQ(-EINVAL, proc_strtoul("-+5", &v));
	EXPECT_EQ(-EINVAL, proc_strtoul("-1", &v));
	EXPECT_EQ(-EINVAL, proc_strtoul("-0", &v));
	EXPECT_EQ(-EINVAL, proc_strtoul("5 6", &v));
	EXPECT_EQ(-EINVAL, proc_strtoul("5x", &v));
	EXPECT_EQ(-EINVAL, proc_strtoul("", &v));
	EXPECT_EQ(-EINVAL, proc_strtoul(" \n", &v));
	EXPECT_EQ(-EINVAL, proc_strtoul("18446744073709551616", &v));  /* overflow: EINVAL */
	EXPECT_EQ(-EINVAL, proc_strtoul("000000000000000000005", &v)); /* 21 characters */
	EXPECT_EQ(-EINVAL, proc_strtoul("- 5", &v));
	EXPECT_EQ(7, v);
}

HOST_TEST(proc_strtoint_like_sysctl)
{
	int v = 7;

	EXPECT_EQ(0, proc_strtoint(" -5\n", &v));
	EXPECT_EQ(-5, v);
	EXPECT_EQ(0, proc_strtoint("-2147483648", &v));
	EXPECT_EQ(-2147483648LL, v);
	EXPECT_EQ(0, proc_strtoint("2147483647", &v));
	EXPECT_EQ(2147483647, v);
	EXPECT_EQ(-EINVAL, proc_strtoint("2147483648", &v));
	EXPECT_EQ(-EINVAL, proc_strtoint("-2147483649", &v));
	EXPECT_EQ(-EINVAL, proc_strtoint("-+5", &v));
	EXPECT_EQ(-EINVAL, proc_strtoint("--5", &v));
	EXPECT_EQ(2147483647, v);
}

HOST_TEST(sysfs_streq_one_newline)
{
	const char *const names[] = {"page", "batch", "precise", NULL};

	EXPECT_TRUE(sysfs_streq("batch", "batch"));
	EXPECT_TRUE(sysfs_streq("batch", "batch\n"));
	EXPECT_TRUE(sysfs_streq("batch\n", "batch"));
	EXPECT_TRUE(!sysfs_streq("batch", "batch "));
	EXPECT_TRUE(!sysfs_streq("batch", " batch"));
	EXPECT_TRUE(!sysfs_streq("batch", "batch\n\n"));
	EXPECT_TRUE(!sysfs_streq("batch", "batc"));
	EXPECT_TRUE(!sysfs_streq("batch", "Batch"));
	EXPECT_EQ(1, sysfs_match_string(names, 3, "batch\n"));
	EXPECT_EQ(2, sysfs_match_string(names, 3, "precise"));
	EXPECT_EQ(-EINVAL, sysfs_match_string(names, 3, "precise "));
	EXPECT_EQ(-EINVAL, sysfs_match_string(names, 3, ""));
	EXPECT_EQ(-EINVAL, sysfs_match_string(names, 4, "x")); /* a NULL entry is skipped */
}

HOST_TEST(kstrtobool_words)
{
	bool b = false;

	EXPECT_EQ(0, kstrtobool("1", &b));
	EXPECT_TRUE(b);
	EXPECT_EQ(0, kstrtobool("n\n", &b));
	EXPECT_TRUE(!b);
	EXPECT_EQ(0, kstrtobool("ON", &b));
	EXPECT_TRUE(b);
	EXPECT_EQ(0, kstrtobool("off", &b));
	EXPECT_TRUE(!b);
	EXPECT_EQ(-EINVAL, kstrtobool("", &b));
	EXPECT_EQ(-EINVAL, kstrtobool("2", &b));
	EXPECT_EQ(-EINVAL, kstrtobool("o", &b));
}

HOST_TEST(parse_size_suffixes)
{
	unsigned long long v = 1;

	EXPECT_EQ(0, parse_size("4096", &v));
	EXPECT_EQ(4096, v);
	EXPECT_EQ(0, parse_size("4K", &v));
	EXPECT_EQ(4096, v);
	EXPECT_EQ(0, parse_size("2m\n", &v));
	EXPECT_EQ(2 << 20, v);
	EXPECT_EQ(0, parse_size("1G", &v));
	EXPECT_EQ(1ULL << 30, v);
	EXPECT_EQ(0, parse_size("0x10k", &v));
	EXPECT_EQ(16 << 10, v);
	EXPECT_EQ(0, parse_size("1T", &v));
	EXPECT_EQ(1ULL << 40, v);
	v = 1;
	EXPECT_EQ(-EINVAL, parse_size("", &v));
	EXPECT_EQ(-EINVAL, parse_size("K", &v));
	EXPECT_EQ(-EINVAL, parse_size("2X", &v));
	EXPECT_EQ(-EINVAL, parse_size("2KK", &v));
	EXPECT_EQ(-EINVAL, parse_size("2 K", &v));
	EXPECT_EQ(-EINVAL, parse_size("-2K", &v));
	EXPECT_EQ(-ERANGE, parse_size("17179869184G", &v)); /* 2^34 GiB = 2^64 */
	EXPECT_EQ(-ERANGE, parse_size("99999999999999999999", &v));
	EXPECT_EQ(1, v);
}

HOST_TEST_MAIN("kstrtox")
