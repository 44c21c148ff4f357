/*
 * TSC calibration: the best source the machine offers was used, and the
 * rate agrees with an independent count of the ACPI PM timer.
 */
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/tsc.h"
#include "kernel/ktest.h"
#include "lib/string.h"

#define PM_TIMER_HZ 3579545ULL

static bool source_is(const char *name)
{
	return strcmp(tsc_source, name) == 0;
}

static void tsc_source_is_the_best_available(struct ktest *t)
{
	uint32_t max, b, c, d;
	bool cpuid_leaf;

	cpuid(0, 0, &max, &b, &c, &d);
	cpuid_leaf =
	    source_is("cpuid-15h") || source_is("cpuid-16h") || source_is("cpuid-40000010h");
	if (max >= 0x16) {
		uint32_t mhz;

		cpuid(0x16, 0, &mhz, &b, &c, &d);
		if (mhz & 0xffff)
			KEXPECT_TRUE(t, source_is("cpuid-15h") || source_is("cpuid-16h"));
	}
	if (acpi_fadt.pm_timer_port)
		KEXPECT_TRUE(t, cpuid_leaf || source_is("pm-timer"));
	KEXPECT_TRUE(t, cpuid_leaf || source_is("pm-timer") || source_is("pit"));
}

/* 50 ms of PM-timer ticks against the TSC, read here, not by tsc.c. */
static void tsc_agrees_with_pm_timer(struct ktest *t)
{
	uint32_t mask, p0, p1, ticks = PM_TIMER_HZ / 20;
	uint64_t t0, t1, khz;

	if (!acpi_fadt.pm_timer_port)
		KTEST_SKIP(t, "no ACPI PM timer");
	mask = acpi_fadt.pm_timer_32bit ? 0xffffffffu : 0xffffffu;
	p0 = inl(acpi_fadt.pm_timer_port) & mask;
	t0 = rdtsc_ordered();
	do {
		p1 = inl(acpi_fadt.pm_timer_port) & mask;
		t1 = rdtsc_ordered();
	} while (((p1 - p0) & mask) < ticks && t1 - t0 < 1000 * tsc_khz);
	KASSERT_TRUE(t, ((p1 - p0) & mask) >= ticks);
	khz = (t1 - t0) * PM_TIMER_HZ / ((p1 - p0) & mask) / 1000;
	/* within 1%: TCG's port reads jitter by tens of microseconds */
	KEXPECT_TRUE(t, khz * 100 > tsc_khz * 99 && khz * 100 < tsc_khz * 101);
}

static const struct ktest_case tsc_cases[] = {
    KTEST_CASE(tsc_source_is_the_best_available),
    KTEST_CASE(tsc_agrees_with_pm_timer),
    {},
};
DEFINE_KTEST_SUITE(tsc, tsc_cases);
