/*
 * Calendar arithmetic for the wall clock: days before each month, leap
 * years (every 4th, not every 100th, every 400th), and days since
 * 1970-01-01 counted from year 0 so that no loop over years is needed.
 */
#include "lib/time64.h"

static const unsigned short days_before_month[12] = {0,	  31,  59,  90,	 120, 151,
						     181, 212, 243, 273, 304, 334};

static bool is_leap(unsigned int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Leap days in years 1..y-1 of the proleptic Gregorian calendar (year 0 is one too). */
static int64_t leaps_before(unsigned int y)
{
	int64_t p = (int64_t)y - 1;

	return p / 4 - p / 100 + p / 400;
}

/* Days from 0001-01-01 to the first of January of @y. */
static int64_t days_to_year(unsigned int y)
{
	return ((int64_t)y - 1) * 365 + leaps_before(y);
}

int64_t mktime64(unsigned int year, unsigned int mon, unsigned int day, unsigned int hour,
		 unsigned int min, unsigned int sec)
{
	int64_t days =
	    days_to_year(year) - days_to_year(1970) + days_before_month[mon - 1] + day - 1;

	if (mon > 2 && is_leap(year))
		days++;
	return ((days * 24 + hour) * 60 + min) * 60 + sec;
}

bool rtc_valid_date(unsigned int year, unsigned int mon, unsigned int day, unsigned int hour,
		    unsigned int min, unsigned int sec)
{
	static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (year < 1970 || mon < 1 || mon > 12 || day < 1 || hour > 23 || min > 59 || sec > 59)
		return false;
	return day <= mdays[mon - 1] + (unsigned int)(mon == 2 && is_leap(year));
}
