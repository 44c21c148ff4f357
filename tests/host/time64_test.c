/*
 * lib/time64.c against the C library's timegm(): every day from 1970 to
 * 2199 at a few times of day, the leap-year edges, and the date checker.
 */
#define _GNU_SOURCE
#include <time.h>

#include "lib/time64.h"
#include "tests/host/host_test.h"

static long long host_timegm(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = {.tm_year = y - 1900,
			.tm_mon = mo - 1,
			.tm_mday = d,
			.tm_hour = h,
			.tm_min = mi,
			.tm_sec = s};

	return (long long)timegm(&tm);
}

HOST_TEST(mktime64_matches_timegm_every_day)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int bad = 0;

	for (int y = 1970; y < 2200; y++) {
		for (int mo = 1; mo <= 12; mo++) {
			int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

			for (int d = 1; d <= mdays[mo - 1] + (mo == 2 && leap); d++) {
				int h = (y + d) % 24, mi = (mo * 7 + d) % 60, s = (y * d) % 60;

				if (mktime64(y, mo, d, h, mi, s) !=
					host_timegm(y, mo, d, h, mi, s) &&
				    bad++ < 5)
					HT_REPORT(
					    "%04d-%02d-%02d %02d:%02d:%02d: %lld, timegm %lld", y,
					    mo, d, h, mi, s,
					    (long long)mktime64(y, mo, d, h, mi, s),
					    host_timegm(y, mo, d, h, mi, s));
				EXPECT_TRUE(rtc_valid_date(y, mo, d, h, mi, s));
			}
		}
	}
	EXPECT_EQ(0, bad);
}

HOST_TEST(mktime64_known_instants)
{
	EXPECT_EQ(0, mktime64(1970, 1, 1, 0, 0, 0));
	EXPECT_EQ(951782400, mktime64(2000, 2, 29, 0, 0, 0));	/* a 400th year is leap */
	EXPECT_EQ(4107542400LL, mktime64(2100, 3, 1, 0, 0, 0)); /* a 100th is not */
	EXPECT_EQ(1764892800, mktime64(2025, 12, 5, 0, 0, 0));
}

HOST_TEST(rtc_valid_date_rejects_what_is_not_a_date)
{
	EXPECT_TRUE(!rtc_valid_date(2100, 2, 29, 0, 0, 0));
	EXPECT_TRUE(rtc_valid_date(2000, 2, 29, 0, 0, 0));
	EXPECT_TRUE(!rtc_valid_date(2026, 4, 31, 0, 0, 0));
	EXPECT_TRUE(!rtc_valid_date(2026, 13, 1, 0, 0, 0));
	EXPECT_TRUE(!rtc_valid_date(2026, 0, 1, 0, 0, 0));
	EXPECT_TRUE(!rtc_valid_date(2026, 1, 0, 0, 0, 0));
	EXPECT_TRUE(!rtc_valid_date(2026, 1, 1, 24, 0, 0));
	EXPECT_TRUE(!rtc_valid_date(2026, 1, 1, 0, 60, 0));
	EXPECT_TRUE(!rtc_valid_date(2026, 1, 1, 0, 0, 60));
	EXPECT_TRUE(!rtc_valid_date(1969, 12, 31, 23, 59, 59));
}

HOST_TEST_MAIN("time64")
