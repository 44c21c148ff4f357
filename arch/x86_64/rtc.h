/*
 * The wall clock: the CMOS real-time clock (MC146818-compatible) read once
 * at boot, then carried forward by the TSC clock (clock_ns). What
 * CLOCK_REALTIME reads.
 */
#ifndef ARCH_X86_64_RTC_H
#define ARCH_X86_64_RTC_H

#include <stdint.h>

/*
 * Read the RTC and set the wall clock from it. Boot CPU only, before the
 * other CPUs start (nothing else touches ports 0x70/0x71, and the offset
 * it sets is read-only afterwards). On a missing or unreadable RTC the
 * wall clock counts from the epoch at boot, and the boot log says why.
 */
void rtc_init(void);

/* Nanoseconds since 1970-01-01 00:00:00 UTC (Linux's ktime_get_real_ns). */
uint64_t ktime_get_real_ns(void);
/* The wall time at the moment clock_ns() read @mono_ns (Linux's ktime_mono_to_real). */
uint64_t ktime_mono_to_real(uint64_t mono_ns);

#endif
