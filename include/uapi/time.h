/*
 * POSIX clock ids, clock_nanosleep's flag and the interval timers, with
 * Linux's values (linux/time.h): the one home of them for the kernel and
 * user/ programs.
 */
#ifndef UAPI_TIME_H
#define UAPI_TIME_H

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_REALTIME_ALARM 8
#define CLOCK_BOOTTIME_ALARM 9
#define CLOCK_TAI 11

/* clock_nanosleep(2), timer_settime(2): the time is absolute, not relative. */
#define TIMER_ABSTIME 0x01

/* setitimer(2)/getitimer(2): which timer. */
#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2

/* x86-64's timespec, timeval and itimerval: 64-bit seconds, 16 and 32 bytes. */
struct timespec {
	long tv_sec;
	long tv_nsec;
};

struct timeval {
	long tv_sec;
	long tv_usec;
};

struct itimerval {
	struct timeval it_interval; /* reload value, 0 for a one-shot */
	struct timeval it_value;    /* time to the next expiry, 0 to disarm */
};

#endif
