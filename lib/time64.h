/*
 * Calendar time: a UTC date and time to seconds since 1970-01-01 00:00:00
 * (Linux's mktime64, kernel/time/time.c), for the wall clock read from the
 * CMOS RTC (arch/x86_64/rtc.c).
 */
#ifndef LIB_TIME64_H
#define LIB_TIME64_H

#include <stdbool.h>
#include <stdint.h>

/* Seconds since the epoch of a proleptic Gregorian date, year >= 1970, month 1-12. */
int64_t mktime64(unsigned int year, unsigned int mon, unsigned int day, unsigned int hour,
		 unsigned int min, unsigned int sec);

/* Is this a real date and time (Feb 29 only in leap years, sec 0-59)? */
bool rtc_valid_date(unsigned int year, unsigned int mon, unsigned int day, unsigned int hour,
		    unsigned int min, unsigned int sec);

#endif
