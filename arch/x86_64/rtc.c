/*
 * The PC's CMOS real-time clock, read once at boot for the wall clock
 * (Motorola MC146818A data sheet; ports 0x70/0x71 and the century byte as
 * the OSDev wiki's "CMOS" page and ACPI's FADT describe them). After that
 * the TSC carries the time forward: CLOCK_REALTIME = clock_ns() + the
 * offset taken here. The RTC counts whole seconds, so the wall clock is
 * within a second of the RTC's; no later RTC read or NTP corrects drift.
 */
#include "arch/x86_64/rtc.h"
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/cpu.h"
#include "kernel/platform.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "lib/time64.h"

#define CMOS_INDEX 0x70 /* bit 7 of the index masks NMIs on PCs: left clear, as Linux does */
#define CMOS_DATA 0x71
#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY_OF_MONTH 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_REG_A 0x0a
#define RTC_REG_B 0x0b
#define RTC_UIP 0x80	   /* register A: update in progress */
#define RTC_24H 0x02	   /* register B: 24-hour mode */
#define RTC_DM_BINARY 0x04 /* register B: binary, not BCD */
#define RTC_PM 0x80	   /* hours, 12-hour mode: PM */
#define UIP_WAIT_NS 10000000ULL
#define READ_TRIES 5
#define NSEC_PER_SEC 1000000000ULL

struct rtc_raw {
	uint8_t sec, min, hour, day, mon, year, century, reg_b;
};

static int64_t realtime_offset_ns; /* wall time minus clock_ns; 0 without an RTC */

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

/*
 * The MC146818A updates its time bytes once a second, taking 1984 us (32.768
 * kHz time base) during which they may read as a mix of old and new. The UIP
 * bit of register A rises 244 us before an update starts and falls when it
 * ends, so a read begun right after UIP reads 0 has at least 244 us, far
 * more than the eight port pairs below take on hardware. A vCPU, though,
 * can be stopped for longer between two of them (and an SMI can stop a real
 * CPU), so the caller reads twice and keeps a read only when both agree:
 * two reads that straddle an update differ. UIP stuck at 1 for longer than
 * an update (10 ms) means no working RTC.
 */
static bool rtc_read_raw(struct rtc_raw *r)
{
	uint64_t deadline = clock_ns() + UIP_WAIT_NS;

	while (cmos_read(RTC_REG_A) & RTC_UIP)
		if (clock_ns() > deadline)
			return false;
	r->sec = cmos_read(RTC_SECONDS);
	r->min = cmos_read(RTC_MINUTES);
	r->hour = cmos_read(RTC_HOURS);
	r->day = cmos_read(RTC_DAY_OF_MONTH);
	r->mon = cmos_read(RTC_MONTH);
	r->year = cmos_read(RTC_YEAR);
	r->century = acpi_fadt.rtc_century ? cmos_read(acpi_fadt.rtc_century) : 0;
	r->reg_b = cmos_read(RTC_REG_B);
	return true;
}

/* A BCD byte's value, or 0xff (never a valid field) if a digit is not 0-9. */
static unsigned int bcd2bin(uint8_t v)
{
	return (v & 0x0f) > 9 || (v >> 4) > 9 ? 0xff : (v >> 4) * 10 + (v & 0x0f);
}

static unsigned int rtc_field(uint8_t v, bool binary)
{
	return binary ? v : bcd2bin(v);
}

/*
 * The raw bytes as a UTC time in seconds since the epoch; -1 if they are
 * not a date (0xff bytes: no RTC there). Register B says how the bytes are
 * coded: BCD or binary, 12- or 24-hour (bit 7 of the hours byte is PM in
 * 12-hour mode). Without a century byte in the FADT the year is 20YY.
 */
static int64_t rtc_raw_to_unix(const struct rtc_raw *r)
{
	bool bin = r->reg_b & RTC_DM_BINARY, h24 = r->reg_b & RTC_24H;
	unsigned int sec = rtc_field(r->sec, bin), min = rtc_field(r->min, bin);
	unsigned int hour = rtc_field(h24 ? r->hour : r->hour & ~RTC_PM, bin);
	unsigned int day = rtc_field(r->day, bin), mon = rtc_field(r->mon, bin);
	unsigned int year = rtc_field(r->year, bin);
	unsigned int century = r->century ? rtc_field(r->century, bin) : 20;

	if (!h24) /* 12 AM is 0, 12 PM is 12, 1-11 PM are 13-23 */
		hour = hour % 12 + (r->hour & RTC_PM ? 12 : 0);
	if (year > 99 || century > 99)
		return -1;
	year += century * 100;
	if (!rtc_valid_date(year, mon, day, hour, min, sec))
		return -1;
	return mktime64(year, mon, day, hour, min, sec);
}

void rtc_init(void)
{
	struct rtc_raw a, b;
	int64_t t = -1;

	if (acpi_fadt.no_cmos_rtc) {
		printk(
		    "rtc: the FADT says there is no CMOS RTC: CLOCK_REALTIME counts from boot\n");
		return;
	}
	for (int i = 0; i < READ_TRIES && t < 0; i++) {
		if (!rtc_read_raw(&a) || !rtc_read_raw(&b))
			break;
		if (!memcmp(&a, &b, sizeof(a)))
			t = rtc_raw_to_unix(&a);
	}
	if (t < 0) {
		printk("rtc: no valid time from the CMOS RTC: CLOCK_REALTIME counts from boot\n");
		return;
	}
	realtime_offset_ns = t * (int64_t)NSEC_PER_SEC - (int64_t)clock_ns();
	printk("rtc: %lu s since the epoch (CMOS %s, %s): the wall clock\n", (unsigned long)t,
	       a.reg_b & RTC_DM_BINARY ? "binary" : "BCD", a.reg_b & RTC_24H ? "24h" : "12h");
}

uint64_t ktime_mono_to_real(uint64_t mono_ns)
{
	return (uint64_t)((int64_t)mono_ns + realtime_offset_ns);
}

uint64_t ktime_get_real_ns(void)
{
	return ktime_mono_to_real(clock_ns());
}
